# Rollikaartide lugeja (src/cards/) teated: mida iga väli sisaldab ja millised vead kaardifailides leiti.

cards-what-annex-title = lisa pealkiri, mis on iga lehekülje ülaosas vasakul
cards-what-annex-authority = väljaandev asutus, nt "Sotsiaalkindlustusamet" (PDF-i autor)
cards-what-annex-label = lisa tähis registreerimisrea all, nt "Lisa"
cards-what-annex-language = seda ei loeta ja selle võib ära jätta: dokumendi keele määrab malli fonts.language (vanemad lisa failid, kus see on, laaditakse endiselt)
cards-what-annex-subject = üks lause dokumendi omaduste jaoks
cards-what-annex-keywords = dokumendi omaduste märksõnade loend
cards-what-order = rollikaardi koht lisas, täisarv, nt 3
cards-what-id = lühinimi väikestest ASCII-tähtedest, numbritest ja sidekriipsudest, nt "osakonna-juhataja"
cards-what-title = rolli nimetus suurtähtedega, nt "OSAKONNA JUHATAJA"
cards-what-subtitle = valikuline rida pealkirja all
cards-what-why = lõigu "Miks on ametikoha vaja?" tekst
cards-what-roles = lõigu "Milliseid rolle täidab?" tekst
cards-what-purpose = tekst pealkirja "TÖÖ EESMÄRK JA SEOS RIIKLIKE SUUNDADEGA" all
cards-what-benefit = tekst pealkirja "AMETIKOHA KASU RIIGI/ KOV/ SKA/ KLIENDI vaates" all
cards-what-target-groups = lõigu "Otsesed sihtgrupid" tekst
cards-what-competences = lõigu "Vajalikud kompetentsid" lõigud tekstide loendina
cards-what-job-family = lõigu "Tööpere 2024" tekst
cards-what-glossary-title = sõnaraamatu lehekülje pealkiri, nt "Rollide SELETAV SÕNARAAMAT"
cards-what-glossary-entries = sõnaraamatu kirjed, igaüks [[entries]] tabel mõiste ja selgitusega
cards-what-term = paksus kirjas trükitav mõiste
cards-what-separator = mis on mõiste ja selgituse vahel, nt " – "
cards-what-definition = selgituse tekst

cards-folder-unreadable = kaartide kausta ei saa lugeda: { $error }
cards-folder-unreadable-help = andke valikuga --cards DIR kaust, milles on lisa.toml, sonaraamat.toml ja rollikaartide failid
cards-folder-empty = kaartide kaustas ei ole ühtegi rollikaardi faili
cards-folder-empty-help = lisage iga rollikaardi kohta üks fail NN-nimi.toml (vt README, "Card files")
cards-not-utf8 = fail ei ole UTF-8 tekst
cards-not-utf8-help = salvestage fail UTF-8 kodeeringus (enamikus redaktorites: Salvesta nimega… → Kodeering: UTF-8)
cards-file-missing-help = looge see fail; `rollikaart init DIR` kirjutab täieliku näidiskomplekti
cards-file-missing = faili ei ole olemas
cards-file-unreadable-help = kontrollige, et faili saab lugeda
cards-file-unreadable = faili ei saa lugeda: { $error }
cards-id-not-slug = id "{ $id }" ei ole lihtne lühinimi
cards-id-not-slug-help = kasutage ainult väikesi ASCII-tähti a-z, numbreid ja sidekriipsu '-' (sellest saab failinimi), nt "osakonna-juhataja"
cards-glossary-empty = sõnaraamatus ei ole ühtegi kirjet
cards-glossary-empty-help = lisage vähemalt üks [[entries]] tabel, milles on term = "..." ja definition = "..."
cards-first-used-here = esmakordselt kasutatud siin
cards-order-twice = järjekorranumbrit { $order } on kasutatud kaks korda
cards-order-twice-help = failis { $other } on sama järjekorranumber; andke igale rollikaardile oma number
cards-id-twice = id-d "{ $id }" on kasutatud kaks korda
cards-id-twice-help = failis { $other } on sama id; andke igale rollikaardile oma id
cards-title-twice = pealkirja "{ $title }" on kasutatud kaks korda
cards-title-twice-help = failis { $other } on sama pealkiri (suur- ja väiketähti arvestamata); andke igale rollile oma pealkiri või ühendage need kaks rollikaarti

cards-missing-field = väli `{ $field }` puudub
cards-missing-field-help = lisage `{ $key } = ...`: { $what }
cards-wrong-type = vale väärtus: peab olema { $expected }, praegu on { $found }
cards-one-line = `{ $field }` peab olema üks mittetühi rida
cards-empty = `{ $field }` on tühi
cards-empty-help = kirjutage tekst: { $what }
cards-no-paragraphs = `{ $field }` ei sisalda ühtegi lõiku
cards-no-paragraphs-help = kirjutage vähemalt üks lõik: { $what }
cards-number-range = `{ $field }` peab olema vahemikus 1 kuni { $max }
cards-did-you-mean = kas mõtlesite `{ $name }`?
cards-unknown-field = tundmatu väli `{ $field }`
cards-unknown-field-help = { $suggestion }siin lubatud väljad on: { $fields }
cards-toml-syntax = TOML-i süntaksiviga: { $message }
cards-toml-syntax-help = kontrollige sellel real jutumärke, `=`-märke ja sulge; tekstid käivad jutumärkidesse "..." või """..."""

# Milline väärtus peab olema ("oodati …") ja milline see oli ("leiti …").
cards-type-text = tekst jutumärkides ("..." või """...""")
cards-type-string = sõne jutumärkides
cards-type-texts = tekstide loend: ["""...""", """..."""]
cards-type-strings = sõnede loend: ["...", "..."]
cards-type-number = täisarv
cards-type-tables = tabelite loend kujul [[...]]
cards-type-table = tabel kujul [[...]]
cards-found-string = sõne
cards-found-integer = täisarv
cards-found-float = murdarv
cards-found-boolean = tõeväärtus
cards-found-datetime = kuupäev ja kellaaeg
cards-found-array = loend
cards-found-table = tabel
# The template's [labels] table, as serde's messages name what they expected.
cards-fields-expected = tabel, kus igal kaardiväljal on oma tekst
cards-field-expected = kaardivälja nimi
