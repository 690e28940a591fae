# Kogu ehituse teated (src/lib.rs, src/export.rs).

export-icc-help = andke sRGB ICC-profiil (kaasasolev templates/sRGB.icc), tee malli faili suhtes
export-icc-unreadable = värviprofiili { $file } ei saa lugeda: { $error }
export-icc-unusable = { $file } ei ole kasutatav värviprofiil: { $why }
export-undrawable-help = asendage see märk või valige fondid, milles see olemas on
export-bad-epoch = SOURCE_DATE_EPOCH=`{ $value }` ei ole sekundite arv alates 1970. aastast
export-bad-epoch-help = eemaldage see muutuja või andke täissekundid, nt SOURCE_DATE_EPOCH=1710460800
export-unfilled = { $name }: kohatäited { $placeholders } jääksid täitmata
export-unfilled-help = --final vajab valikuid --reg-date ja --reg-number; kontrollige, ega rollikaartidel ole kogemata kirjutatud kohatäidet
export-left-in-final = { $file }: `{ $placeholder }` jääks lõplikku dokumenti
export-read-back-failed = { $file }: faili ei saa kontrollimiseks tagasi lugeda: { $why }
export-left-in-final-help = midagi ei kirjutatud; kontrollige, ega mallis ja rollikaartidel ole kogemata kirjutatud kohatäidet
export-render-failed = faili { $file } ei saa koostada: { $error }
