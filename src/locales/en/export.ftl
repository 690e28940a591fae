# Messages of the build as a whole (src/lib.rs, src/export.rs).

export-icc-help = give an sRGB ICC profile (the bundled templates/sRGB.icc), relative to the template file
export-icc-unreadable = cannot read the colour profile { $file }: { $error }
export-icc-unusable = { $file } is not a usable colour profile: { $why }
export-undrawable-help = replace the character or choose fonts that have it
export-bad-epoch = SOURCE_DATE_EPOCH=`{ $value }` is not a number of seconds since 1970
export-bad-epoch-help = unset it or give whole seconds, e.g. SOURCE_DATE_EPOCH=1710460800
export-unfilled = { $name }: the placeholders { $placeholders } would stay unfilled
export-unfilled-help = --final needs --reg-date and --reg-number; check the cards for a placeholder typed by mistake
export-left-in-final = { $file }: `{ $placeholder }` would stay in the final document
export-read-back-failed = { $file }: cannot read the file back to check it: { $why }
export-left-in-final-help = nothing was written; check the template and cards for a placeholder typed by mistake
export-render-failed = cannot make { $file }: { $error }
