# The command line: --help texts, the man page, completions and the lines the commands print.
# Ids: <command>-about, <command>-after-help (the examples), <command>-arg-<option> for an
# option of one command, arg-<option> for an option shared by several, value-<NAME> for a
# placeholder, help-* for the words around the help text. The root command is "rollikaart".

## The help page's frame

help-usage = Usage:
help-options = Options
help-arguments = Arguments
help-commands = Commands
help-options-placeholder = OPTIONS
help-command-placeholder = COMMAND
help-default = default: { $value }
help-possible = possible values: { $values }
help-more-info = For more information, try '{ $help }'.

## Placeholders in the help text

value-DIR = DIR
value-FILE = FILE
value-DATE = DATE
value-NUMBER = NUMBER
value-CARD = CARD
value-FORMAT = FORMAT
value-SHELL = SHELL
value-OLD_CARDS_DIR = OLD_CARDS_DIR
value-NAME = NAME
value-LANG = LANG
value-N = N

## Options every command has

arg-help = Print help
arg-version = Print the version
arg-lang = Language of the messages: et (Estonian) or en (English); else ROLLIKAART_LANG, else the locale

## The commands

rollikaart-about = Builds the Social Insurance Board's role-card annex (PDF and DOCX) from TOML cards.
rollikaart-after-help =
    Examples:
      rollikaart build
      rollikaart check
      rollikaart --lang et build --help

build-about = Build the annex: out/lisa.pdf, out/lisa.docx, out/kaardid/NN-id.pdf and .docx, out/SHA256SUMS.
build-after-help =
    Examples:
      rollikaart build
      rollikaart build --reg-date 15.03.2024 --reg-number 1-1/24/37 --final
      rollikaart build --draft --format pdf --out drafts

card-about = Write one card alone (PDF and DOCX), optionally print it.
card-after-help =
    Examples:
      rollikaart card osakonna-juhataja
      rollikaart card 7 --format pdf --print
      rollikaart card "TEENUSE DISAINER" --out single
card-arg-card = The card: its id (osakonna-juhataja), number (1) or title ("OSAKONNA JUHATAJA").
card-arg-print = Send the card's PDF to the default printer with `lp`.

check-about = Check the cards and the template; report every problem with file, line and column.
check-after-help =
    Examples:
      rollikaart check
      rollikaart check --cards my-cards --template my-template/lisa.toml

diff-about = Show what changed between an older card set and --cards; with --out, write muudatused.docx (tracked changes) and muudatused.pdf (marked).
diff-after-help =
    Examples:
      rollikaart diff old-cards/
      rollikaart diff old-cards/ --out muudatused/
      rollikaart diff old-cards/ --json --exit-code
diff-arg-old-cards = The older cards folder to compare --cards with.
diff-arg-json = Print the changes as JSON (field names in the README, "Comparing two card sets").
diff-arg-exit-code = Exit with 1 when anything changed, 0 when nothing did (as git diff --exit-code).
diff-arg-out = Write muudatused.docx and muudatused.pdf into this folder (created if missing).
diff-arg-author = Who the tracked changes are attributed to (default: the authority in lisa.toml).
diff-arg-date = Date of the tracked changes: 15.03.2024, 2024-03-15 or 2024-03-15T10:00:00Z (default: the registration date, else SOURCE_DATE_EPOCH).
diff-arg-changed-only = Leave the cards that did not change out of the files.

list-about = List the cards in annex order: number, id and title.
list-after-help =
    Examples:
      rollikaart list
      rollikaart list --json
list-arg-json = Print a JSON array of {"{"}order, id, title{"}"} instead of a table.

init-about = Start a new set: write the bundled cards, template and fonts into a new folder.
init-after-help =
    Example:
      rollikaart init meie-kaardid
init-arg-dir = The new folder (must not exist or be empty).

completions-about = Print shell completions.
completions-after-help =
    Example:
      rollikaart completions bash > /etc/bash_completion.d/rollikaart
completions-arg-shell = The shell: bash, zsh, fish, elvish or powershell.

man-about = Print the man page (roff).
man-after-help =
    Example:
      rollikaart man > rollikaart.1 && man ./rollikaart.1

watch-about = Rebuild whenever a card, the template or a font changes (the PDFs by default); Ctrl-C stops.
watch-after-help =
    Examples:
      rollikaart watch
      rollikaart watch --format both --out drafts --draft

## Options of build, card and watch

arg-cards = Folder with lisa.toml, sonaraamat.toml and one file per card.
arg-template = The annex template.
arg-out = Output folder (created if missing).
arg-format = Which formats to write (default: both; for watch: pdf).
arg-reg-date = Registration date of the directive: 15.03.2024 or 2024-03-15 (final mode, with --reg-number).
arg-reg-number = Directive number as registered, e.g. 1-1/24/37 (final mode, with --reg-date).
arg-final = Refuse to write anything while any placeholder would stay unfilled.
arg-draft = Mark every PDF page with the draft mark ("KAVAND") and say so in the metadata.
arg-quiet = Print nothing on success.
arg-verbose = List every file written.
arg-timings = Show where the time of the build went (on standard error).
arg-jobs = How many files are rendered at once (default: the number of cores); the threads that load and check the cards and write the files to disk are sized by it too.

## What the commands print

build-summary = wrote { $files } { $files ->
        [one] file
       *[other] files
    } ({ $pages } { $pages ->
        [one] page
       *[other] pages
    }) to { $out } in { $seconds } s
build-final-without-registration = --final was given without registration data
build-final-without-registration-help = give --reg-date and --reg-number to fill {"{"}regDateTime{"}"} and {"{"}regNumber{"}"}
build-no-such-card = there is no card `{ $key }`
build-no-such-card-help =
    give a card's id, number or title; the cards are:
    { $cards }
timings-load = load and check
timings-render = render (wall)
timings-format = { $format } (summed over threads)
timings-read-back = final read-back (summed over threads)
timings-write = write and sync
timings-total = total
timings-ms = { $ms } ms

card-print-needs-pdf = error: --print needs the PDF; drop --format docx or use --format pdf or both
card-printed = sent { $file } to the printer
card-print-refused = error: the print system refused { $file } ({ $status }); the PDF is there to print by hand
card-no-print-system = error: no print system found (`lp`: { $error }); install CUPS (e.g. `apt-get install cups-client`) or print { $file } by hand

check-ok = ok: { $cards } { $cards ->
        [one] card
       *[other] cards
    } and a glossary of { $entries } { $entries ->
        [one] entry
       *[other] entries
    } in { $dir }; template { $template }

init-not-empty = the folder already exists and is not empty
init-not-empty-help = give a new folder; init never overwrites an existing set of cards
init-bundle-broken = the files bundled in this program cannot be unpacked: { $error }
init-bundle-broken-help = the program file is damaged; reinstall rollikaart (cargo install --path . or a fresh copy)
init-wrote = wrote { $files } { $files ->
        [one] file
       *[other] files
    } to { $dir }; build them with:
init-next = {"  "}rollikaart build --cards { $dir }/cards --template { $dir }/templates/lisa.toml --out { $dir }/out

diff-no-changes = no changes: { $cards } { $cards ->
        [one] card
       *[other] cards
    } and a glossary of { $entries } { $entries ->
        [one] entry
       *[other] entries
    }, the same in both
diff-annex = annex (lisa.toml): { $notes }
diff-cards = cards: { $added } added, { $removed } removed, { $renamed } renamed, { $moved } moved, { $changed } changed
diff-card-added = {"  "}added    { $card }: { $title }
diff-card-removed = {"  "}removed  { $card }: { $title }
diff-card-renamed = {"  "}renamed  { $order } { $old } → { $new }: { $title }
diff-card-moved = {"  "}moved    { $card }: from place { $from } to place { $to }
diff-card-changed = {"  "}changed  { $card }: { $notes }
diff-glossary = glossary: { $added } added, { $removed } removed, { $moved } moved, { $changed } changed
diff-glossary-title = {"  "}changed  the glossary { $note }
diff-entry-added = {"  "}added    "{ $term }"
diff-entry-removed = {"  "}removed  "{ $term }"
diff-entry-moved = {"  "}moved    "{ $term }": from place { $from } to place { $to }
diff-entry-changed = {"  "}changed  "{ $term }": { $notes }
diff-field = { $field } ({ $parts })
diff-words = +{ $inserted } −{ $deleted } { $deleted ->
        [one] words
       *[other] words
    }
diff-paragraphs = +{ $inserted } −{ $deleted } { $deleted ->
        [one] paragraphs
       *[other] paragraphs
    }
diff-field-changed = changed
diff-json-error = rollikaart: cannot write JSON: { $error }
diff-stdout-error = rollikaart: cannot write to standard output: { $error }
diff-bad-date = --date `{ $value }` is not a date
diff-bad-date-help = give 15.03.2024, 2024-03-15 or 2024-03-15T10:00:00Z
diff-wrote = wrote { $files } { $files ->
        [one] file
       *[other] files
    } ({ $pages } { $pages ->
        [one] page
       *[other] pages
    } with changes marked) to { $out }

list-json-error = rollikaart: cannot write JSON: { $error }
man-error = error: cannot write the man page: { $error }
internal-error = rollikaart: internal error (this is a bug, please report it with the command you ran): { $panic }

watch-watching = watching { $cards }, { $template } and the fonts; rebuilding into { $out } on every change (Ctrl-C stops)
watch-built = built in { $seconds } s
watch-failed = the build failed; the last good output in { $out } is unchanged
watch-cannot-watch = error: cannot watch the folder { $path }: { $error }
watch-stopped = error: the file watcher stopped: { $error }

## clap's errors (usage mistakes, exit code 2)

clap-error = error: { $message }
clap-unknown-argument = unknown option '{ $arg }'
clap-unknown-command = unknown command '{ $command }'
clap-invalid-value = invalid value '{ $value }' for '{ $arg }'
clap-invalid-value-generic = invalid value for '{ $arg }'
clap-missing-argument = a required argument is missing: { $arg }
clap-conflict = '{ $arg }' cannot be used with '{ $other }'
clap-similar = {"  "}tip: did you mean '{ $similar }'?
clap-valid-values = {"  "}possible values: { $values }
