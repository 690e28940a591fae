# Problems inside a text of a card or the template (src/text.rs).

text-control-character = control character U+{ $code } in the text
text-control-character-help = delete it; a text may hold letters, digits, punctuation, spaces and line breaks
text-did-you-mean = did you mean { $placeholder }?
text-unknown-placeholder = unknown placeholder or stray brace `{ $piece }`
text-unknown-placeholder-help = { $suggestion }the only placeholders are { $first } and { $second }; remove the braces or use one of them
text-written-as = (written as { $codes }, which Unicode NFC joins into one character)
text-not-drawable = the character `{ $character }` (U+{ $code }){ $as_typed } cannot be drawn with the bundled fonts
text-not-drawable-help = replace it with a character the fonts have (Latin letters incl. õ ä ö ü š ž, digits, punctuation)
