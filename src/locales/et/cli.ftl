# Käsurida: --help tekstid, man-leht, käsurea lõpetused ja käskude väljastatud read.
# Tunnused: <käsk>-about, <käsk>-after-help (näited), <käsk>-arg-<valik> ühe käsu valikule,
# arg-<valik> mitme käsu ühisele valikule, value-<NIMI> kohatäitjale, help-* abiteksti
# raamile. Juurkäsk on "rollikaart".

## Abilehe raam

help-usage = Kasutus:
help-options = Valikud
help-arguments = Argumendid
help-commands = Käsud
help-options-placeholder = VALIKUD
help-command-placeholder = KÄSK
help-default = vaikimisi: { $value }
help-possible = võimalikud väärtused: { $values }
help-more-info = Lisateave: '{ $help }'.

## Kohatäitjad abitekstis

value-DIR = KAUST
value-FILE = FAIL
value-DATE = KUUPÄEV
value-NUMBER = NUMBER
value-CARD = KAART
value-FORMAT = VORMING
value-SHELL = KEST
value-OLD_CARDS_DIR = VANA_KAUST
value-NAME = NIMI
value-LANG = KEEL
value-N = ARV

## Kõigi käskude valikud

arg-help = Näitab abi
arg-version = Näitab versiooni
arg-lang = Teadete keel: et (eesti) või en (inglise); muidu ROLLIKAART_LANG, muidu süsteemi lokaat

## Käsud

rollikaart-about = Koostab Sotsiaalkindlustusameti rollikaartide lisa (PDF ja DOCX) TOML-vormingus rollikaartidest.
rollikaart-after-help =
    Näited:
      rollikaart build
      rollikaart check
      rollikaart --lang en build --help

build-about = Koostab lisa: out/lisa.pdf, out/lisa.docx, out/kaardid/NN-id.pdf ja .docx, out/SHA256SUMS.
build-after-help =
    Näited:
      rollikaart build
      rollikaart build --reg-date 15.03.2024 --reg-number 1-1/24/37 --final
      rollikaart build --draft --format pdf --out kavandid

card-about = Kirjutab ühe rollikaardi eraldi (PDF ja DOCX), soovi korral prindib selle.
card-after-help =
    Näited:
      rollikaart card osakonna-juhataja
      rollikaart card 7 --format pdf --print
      rollikaart card "TEENUSE DISAINER" --out yks-kaart
card-arg-card = Rollikaart: selle tunnus (osakonna-juhataja), number (1) või pealkiri ("OSAKONNA JUHATAJA").
card-arg-print = Saadab rollikaardi PDF-i käsuga `lp` vaikeprinterisse.

check-about = Kontrollib rollikaarte ja malli; teatab iga probleemi faili, rea ja veeruga.
check-after-help =
    Näited:
      rollikaart check
      rollikaart check --cards meie-kaardid --template meie-mall/lisa.toml

diff-about = Näitab, mis on vanema rollikaartide komplekti ja --cards vahel muutunud; valikuga --out kirjutab muudatused.docx (jälgitavad muudatused) ja muudatused.pdf (märgitud muudatused).
diff-after-help =
    Näited:
      rollikaart diff vanad-kaardid/
      rollikaart diff vanad-kaardid/ --out muudatused/
      rollikaart diff vanad-kaardid/ --json --exit-code
diff-arg-old-cards = Vanem rollikaartide kaust, millega --cards kausta võrreldakse.
diff-arg-json = Väljastab muudatused JSON-ina (väljade nimed on README-s, "Comparing two card sets").
diff-arg-exit-code = Lõpetab koodiga 1, kui midagi muutus, ja koodiga 0, kui ei muutunud (nagu git diff --exit-code).
diff-arg-out = Kirjutab muudatused.docx ja muudatused.pdf sellesse väljundkausta (luuakse, kui seda pole).
diff-arg-author = Kelle nimel jälgitavad muudatused on (vaikimisi asutus failist lisa.toml).
diff-arg-date = Jälgitavate muudatuste kuupäev: 15.03.2024, 2024-03-15 või 2024-03-15T10:00:00Z (vaikimisi registreerimise kuupäev, muidu SOURCE_DATE_EPOCH).
diff-arg-changed-only = Jätab muutmata rollikaardid failidest välja.

list-about = Loetleb rollikaardid lisa järjekorras: number, tunnus ja pealkiri.
list-after-help =
    Näited:
      rollikaart list
      rollikaart list --json
list-arg-json = Väljastab tabeli asemel JSON-massiivi kujul {"{"}order, id, title{"}"}.

init-about = Alustab uut komplekti: kirjutab kaasasolevad rollikaardid, malli ja fondid uude kausta.
init-after-help =
    Näide:
      rollikaart init meie-kaardid
init-arg-dir = Uus kaust (ei tohi olemas olla või peab olema tühi).

completions-about = Väljastab käsurea lõpetused (shell completions).
completions-after-help =
    Näide:
      rollikaart completions bash > /etc/bash_completion.d/rollikaart
completions-arg-shell = Käsukest: bash, zsh, fish, elvish või powershell.

man-about = Väljastab man-lehe (roff).
man-after-help =
    Näide:
      rollikaart man > rollikaart.1 && man ./rollikaart.1

watch-about = Koostab väljundi uuesti iga kord, kui rollikaart, mall või font muutub (vaikimisi ainult PDF-id); Ctrl-C lõpetab.
watch-after-help =
    Näited:
      rollikaart watch
      rollikaart watch --format both --out kavandid --draft

## Käskude build, card ja watch valikud

arg-cards = Kaust, kus on lisa.toml, sonaraamat.toml ja iga rollikaart eraldi failis.
arg-template = Lisa mall.
arg-out = Väljundkaust (luuakse, kui seda pole).
arg-format = Milliseid vorminguid kirjutada (vaikimisi both, käsul watch pdf).
arg-reg-date = Käskkirja registreerimise kuupäev: 15.03.2024 või 2024-03-15 (lõplik režiim, koos valikuga --reg-number).
arg-reg-number = Käskkirja registreerimisnumber, nt 1-1/24/37 (lõplik režiim, koos valikuga --reg-date).
arg-final = Ei kirjuta midagi, kui mõni kohatäitja jääks täitmata.
arg-draft = Märgib iga PDF-i lehekülje kavandi märgiga ("KAVAND") ja kirjutab selle ka metaandmetesse.
arg-quiet = Õnnestumise korral ei väljasta midagi.
arg-verbose = Loetleb iga kirjutatud faili.
arg-timings = Näitab, millele koostamise aeg kulus (standardveaväljundisse).
arg-jobs = Määrab, mitu faili korraga renderdatakse (vaikimisi protsessorituumade arv); sellest sõltub ka kaartide laadimise, kontrolli ja failide kettale kirjutamise lõimede arv.

## Käskude väljastatud read

build-summary = { $files ->
        [one] { $files } fail
       *[other] { $files } faili
    } ({ $pages ->
        [one] { $pages } lehekülg
       *[other] { $pages } lehekülge
    }) kirjutatud väljundkausta { $out }, aega kulus { $seconds } s
build-final-without-registration = valik --final on antud ilma registreerimisandmeteta
build-final-without-registration-help = anna {"{"}regDateTime{"}"} ja {"{"}regNumber{"}"} täitmiseks valikud --reg-date ja --reg-number
build-no-such-card = rollikaarti `{ $key }` ei ole
build-no-such-card-help =
    anna rollikaardi tunnus, number või pealkiri; rollikaardid on:
    { $cards }
timings-load = laadimine ja kontroll
timings-render = renderdamine (tegelik aeg)
timings-format = { $format } (lõimede aegade summa)
timings-read-back = lõplik tagasilugemine (lõimede aegade summa)
timings-write = kirjutamine ja salvestamine
timings-total = kokku
timings-ms = { $ms } ms

card-print-needs-pdf = viga: --print vajab PDF-i; jäta --format docx ära või kasuta --format pdf või both
card-printed = { $file } saadeti printerisse
card-print-refused = viga: prindisüsteem keeldus failist { $file } ({ $status }); PDF on olemas, prindi see käsitsi
card-no-print-system = viga: prindisüsteemi ei leitud (`lp`: { $error }); paigalda CUPS (nt `apt-get install cups-client`) või prindi { $file } käsitsi

check-ok = korras: { $cards ->
        [one] { $cards } rollikaart
       *[other] { $cards } rollikaarti
    } ja sõnaraamat { $entries } märksõnaga kaustas { $dir }; mall { $template }

init-not-empty = kaust on juba olemas ega ole tühi
init-not-empty-help = anna uus kaust; init ei kirjuta kunagi olemasolevat rollikaartide komplekti üle
init-bundle-broken = programmi kaasa pakitud faile ei saa lahti pakkida: { $error }
init-bundle-broken-help = programmifail on rikutud; paigalda rollikaart uuesti (cargo install --path . või uus koopia)
init-wrote = { $files ->
        [one] { $files } fail
       *[other] { $files } faili
    } kirjutatud kausta { $dir }; koosta lisa käsuga:
init-next = {"  "}rollikaart build --cards { $dir }/cards --template { $dir }/templates/lisa.toml --out { $dir }/out

diff-no-changes = muudatusi pole: { $cards ->
        [one] { $cards } rollikaart
       *[other] { $cards } rollikaarti
    } ja sõnaraamat { $entries } märksõnaga, mõlemas komplektis samad
diff-annex = lisa (lisa.toml): { $notes }
diff-cards = rollikaardid: { $added } lisatud, { $removed } kustutatud, { $renamed } ümber nimetatud, { $moved } teisaldatud, { $changed } muudetud
diff-card-added = {"  "}lisatud          { $card }: { $title }
diff-card-removed = {"  "}kustutatud       { $card }: { $title }
diff-card-renamed = {"  "}ümber nimetatud  { $order } { $old } → { $new }: { $title }
diff-card-moved = {"  "}teisaldatud      { $card }: kohalt { $from } kohale { $to }
diff-card-changed = {"  "}muudetud         { $card }: { $notes }
diff-glossary = sõnaraamat: { $added } lisatud, { $removed } kustutatud, { $moved } teisaldatud, { $changed } muudetud
diff-glossary-title = {"  "}muudetud         sõnaraamatu { $note }
diff-entry-added = {"  "}lisatud          „{ $term }“
diff-entry-removed = {"  "}kustutatud       „{ $term }“
diff-entry-moved = {"  "}teisaldatud      „{ $term }“: kohalt { $from } kohale { $to }
diff-entry-changed = {"  "}muudetud         „{ $term }“: { $notes }
diff-field = { $field } ({ $parts })
# Arvsõna järel ainsuse osastav: 1 sõna, 3 sõna; 1 lõik, 3 lõiku.
diff-words = +{ $inserted } −{ $deleted } { $deleted ->
        [one] sõna
       *[other] sõna
    }
diff-paragraphs = +{ $inserted } −{ $deleted } { $deleted ->
        [one] lõik
       *[other] lõiku
    }
diff-field-changed = muudetud
diff-json-error = rollikaart: JSON-i ei õnnestu kirjutada: { $error }
diff-stdout-error = rollikaart: standardväljundisse ei õnnestu kirjutada: { $error }
diff-bad-date = --date `{ $value }` ei ole kuupäev
diff-bad-date-help = anna 15.03.2024, 2024-03-15 või 2024-03-15T10:00:00Z
diff-wrote = { $files ->
        [one] { $files } fail
       *[other] { $files } faili
    } ({ $pages ->
        [one] { $pages } lehekülg
       *[other] { $pages } lehekülge
    } märgitud muudatustega) kirjutatud väljundkausta { $out }

list-json-error = rollikaart: JSON-i ei õnnestu kirjutada: { $error }
man-error = viga: man-lehte ei õnnestu kirjutada: { $error }
internal-error = rollikaart: sisemine viga (see on programmi viga, palun teata sellest koos käivitatud käsuga): { $panic }

watch-watching = jälgin kausta { $cards }, malli { $template } ja fonte; iga muudatuse järel koostan väljundi uuesti väljundkausta { $out } (Ctrl-C lõpetab)
watch-built = ehitatud { $seconds } s
watch-failed = koostamine ebaõnnestus; viimane õnnestunud väljund kaustas { $out } jäi muutmata
watch-cannot-watch = viga: kausta { $path } ei saa jälgida: { $error }
watch-stopped = viga: failide jälgija peatus: { $error }

## clapi vead (kasutusvead, väljumiskood 2)

clap-error = viga: { $message }
clap-unknown-argument = tundmatu valik '{ $arg }'
clap-unknown-command = tundmatu käsk '{ $command }'
clap-invalid-value = vigane väärtus '{ $value }' valikule '{ $arg }'
clap-invalid-value-generic = vigane väärtus valikule '{ $arg }'
clap-missing-argument = nõutav argument puudub: { $arg }
clap-conflict = valikut '{ $arg }' ei saa kasutada koos valikuga '{ $other }'
clap-similar = {"  "}vihje: kas mõtlesid '{ $similar }'?
clap-valid-values = {"  "}võimalikud väärtused: { $values }
