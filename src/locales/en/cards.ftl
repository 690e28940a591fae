# Messages of the card loader (src/cards/): what each field holds, and the problems found in the card files.

cards-what-annex-title = the annex title shown at the top left of every page
cards-what-annex-authority = the issuing authority, e.g. "Sotsiaalkindlustusamet" (the PDF author)
cards-what-annex-label = the annex label under the registration line, e.g. "Lisa"
cards-what-annex-language = not read and may be left out: the document language is the template's fonts.language (older annex files that have it still load)
cards-what-annex-subject = one sentence for the document properties
cards-what-annex-keywords = a list of keywords for the document properties
cards-what-order = the card's position in the annex, a whole number such as 3
cards-what-id = a short name of lowercase ASCII letters, digits and '-', e.g. "osakonna-juhataja"
cards-what-title = the role title in capitals, e.g. "OSAKONNA JUHATAJA"
cards-what-subtitle = an optional line under the title
cards-what-why = the text of "Miks on ametikoha vaja?"
cards-what-roles = the text of "Milliseid rolle täidab?"
cards-what-purpose = the text under "TÖÖ EESMÄRK JA SEOS RIIKLIKE SUUNDADEGA"
cards-what-benefit = the text under "AMETIKOHA KASU RIIGI/ KOV/ SKA/ KLIENDI vaates"
cards-what-target-groups = the text of "Otsesed sihtgrupid"
cards-what-competences = the paragraphs of "Vajalikud kompetentsid", as a list of texts
cards-what-job-family = the text of "Tööpere 2024"
cards-what-glossary-title = the glossary page title, e.g. "Rollide SELETAV SÕNARAAMAT"
cards-what-glossary-entries = the glossary entries, each a [[entries]] table with term and definition
cards-what-term = the term printed in bold
cards-what-separator = what stands between term and definition, e.g. " – "
cards-what-definition = the definition text

cards-folder-unreadable = cannot read the cards folder: { $error }
cards-folder-unreadable-help = give the folder that holds lisa.toml, sonaraamat.toml and the card files with --cards DIR
cards-folder-empty = the cards folder holds no card files
cards-folder-empty-help = add one NN-name.toml file per role card (see README, "Card files")
cards-not-utf8 = the file is not UTF-8 text
cards-not-utf8-help = save it as UTF-8 (in most editors: Save As… → Encoding: UTF-8)
cards-file-missing-help = create it; `rollikaart init DIR` writes a complete example set
cards-file-missing = cannot read the file: it does not exist
cards-file-unreadable-help = check that the file can be read
cards-file-unreadable = cannot read the file: { $error }
cards-id-not-slug = the id "{ $id }" is not a plain short name
cards-id-not-slug-help = use lowercase ASCII letters a-z, digits and '-' only (it becomes a file name), e.g. "osakonna-juhataja"
cards-glossary-empty = the glossary has no entries
cards-glossary-empty-help = add at least one [[entries]] table with term = "..." and definition = "..."
cards-first-used-here = first used here
cards-order-twice = order { $order } is used twice
cards-order-twice-help = { $other } has the same order; give each card its own number
cards-id-twice = id "{ $id }" is used twice
cards-id-twice-help = { $other } has the same id; give each card its own id
cards-title-twice = the title "{ $title }" is used twice
cards-title-twice-help = { $other } has the same title (capitals aside); give each role its own title, or merge the two cards

cards-missing-field = missing field `{ $field }`
cards-missing-field-help = add `{ $key } = ...`: { $what }
cards-wrong-type = expected { $expected }, found { $found }
cards-one-line = `{ $field }` must be one non-empty line
cards-empty = `{ $field }` is empty
cards-empty-help = write the text: { $what }
cards-no-paragraphs = `{ $field }` has no paragraphs
cards-no-paragraphs-help = write at least one paragraph: { $what }
cards-number-range = `{ $field }` must be between 1 and { $max }
cards-did-you-mean = did you mean `{ $name }`?
cards-unknown-field = unknown field `{ $field }`
cards-unknown-field-help = { $suggestion }the fields here are: { $fields }
cards-toml-syntax = TOML syntax error: { $message }
cards-toml-syntax-help = check quotes, `=` signs and brackets on this line; texts go in "..." or """..."""

# What a value should be ("expected …") and what it was ("found …").
cards-type-text = a text in quotes ("..." or """...""")
cards-type-string = a string in quotes
cards-type-texts = a list of texts: ["""...""", """..."""]
cards-type-strings = a list of strings: ["...", "..."]
cards-type-number = a whole number
cards-type-tables = a list of tables written as [[...]]
cards-type-table = a table written as [[...]]
cards-found-string = string
cards-found-integer = integer
cards-found-float = float
cards-found-boolean = boolean
cards-found-datetime = datetime
cards-found-array = array
cards-found-table = table
# The template's [labels] table, as serde's messages name what they expected.
cards-fields-expected = a table with one text for each card field
cards-field-expected = the name of a card field
