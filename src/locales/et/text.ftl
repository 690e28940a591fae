# Vead rollikaardi või malli tekstis (src/text.rs).

text-control-character = tekstis on juhtmärk U+{ $code }
text-control-character-help = kustutage see; tekstis võivad olla tähed, numbrid, kirjavahemärgid, tühikud ja reavahetused
text-did-you-mean = kas mõtlesite { $placeholder }?
text-unknown-placeholder = tundmatu kohatäide või üksik looksulg `{ $piece }`
text-unknown-placeholder-help = { $suggestion }ainsad kohatäited on { $first } ja { $second }; eemaldage looksulud või kasutage üht neist
text-written-as = (kirjutatud kujul { $codes }, mille Unicode NFC ühendab üheks märgiks)
text-not-drawable = märki `{ $character }` (U+{ $code }){ $as_typed } ei saa kaasasolevate fontidega joonistada
text-not-drawable-help = asendage see märgiga, mis fontides olemas on (ladina tähed, sh õ ä ö ü š ž, numbrid, kirjavahemärgid)
