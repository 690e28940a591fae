# Asukohaga veateadete sõnad (src/diagnostics.rs).

diag-error = viga
diag-help = vihje
# Esimene rida pärast "viga: ", kui viga puudutab üht välja.
diag-field = väli `{ $field }`: { $message }
diag-summary = { $count ->
    [one] leiti { $count } probleem; midagi ei kirjutatud.
   *[other] leiti { $count } probleemi; midagi ei kirjutatud.
}
