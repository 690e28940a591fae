# Messages about the template file (src/template.rs) and its colour profile (src/icc.rs).

template-unreadable = cannot read the template: { $why }
template-unreadable-help = give the annex template with --template FILE (default templates/lisa.toml)
template-syntax-help = compare with the bundled templates/lisa.toml; every section and key there is required
template-label-empty = the label `labels.{ $key }` is empty
template-label-empty-help = write the label text as it should stand in the table
template-not-a-colour = not a colour
template-not-a-colour-help = write six hexadecimal digits RRGGBB, e.g. "D9D9D9"
template-file-bad = the file { $file } { $why }
template-file-bad-help = the path is relative to the template file; fix it or copy the file there
template-range-above = more than { $min } and at most { $max }
template-range-between = between { $min } and { $max }
template-out-of-range = `{ $key }` is { $value }; it must be { $range }
template-out-of-range-help = write a number { $range } (the comments in the bundled templates/lisa.toml give each range)
template-side-margins = the side margins ({ $left } + { $right } mm) leave no room on a page { $width } mm wide
template-side-margins-help = make margin_left_mm + margin_right_mm smaller than width_mm
template-top-bottom-margins = the top and bottom margins ({ $top } + { $bottom } mm) leave no room on a page { $height } mm high
template-top-bottom-margins-help = make margin_top_mm + margin_bottom_mm smaller than height_mm
template-columns = the columns do not fit: label { $label } mm < groups { $groups } mm < page content width { $content } mm is needed, with at least { $min } mm for each column
template-columns-help = make label_column_mm smaller than groups_column_mm, and that smaller than the page width minus the side margins
template-padding = a padding of { $padding } mm on each side leaves less than { $min } mm for text in a column { $narrowest } mm wide
template-padding-help = make cell_padding_mm smaller, or the columns wider
template-gap = a gap of { $gap } mm leaves no room for the annex title beside the approval lines (the page content is { $content } mm wide)
template-gap-help = make column_gap_mm smaller than half the page width between the margins
template-date-format = not a usable date format
template-date-format-help = use chrono's format codes, e.g. "%d.%m.%Y" for 15.03.2024, without control characters or braces
# What is wrong with a file the template names: "the file X …".
template-file-missing = does not exist
template-file-unreadable = cannot be read: { $error }
template-file-folder = is a folder, not a file
template-file-fifo = is a named pipe (FIFO), not a file
template-file-device = is a device, not a file
template-file-socket = is a socket, not a file
template-file-irregular = is not a regular file

# The colour profile: what is wrong with it (after "… is not a usable colour profile: ").
icc-too-short = the file has { $bytes ->
    [one] { $bytes } byte
   *[other] { $bytes } bytes
}, fewer than the { $header } of an ICC profile header
icc-no-signature = the file is not an ICC colour profile (no `acsp` signature)
icc-wrong-size = the profile header declares { $declared } bytes, the file has { $bytes }
icc-not-rgb = the profile's colour space is `{ $space }`, not RGB
icc-wrong-class = the profile's device class is `{ $class }`; an output intent needs a display (mntr), output (prtr) or colour space (spac) profile
template-missing-key = missing field `{ $key }`
