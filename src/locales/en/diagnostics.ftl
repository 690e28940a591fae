# The words of the located error messages (src/diagnostics.rs).

diag-error = error
diag-help = help
# The first line after "error: " when the problem concerns one field.
diag-field = field `{ $field }`: { $message }
diag-summary = { $count ->
    [one] { $count } problem found; nothing was written.
   *[other] { $count } problems found; nothing was written.
}
