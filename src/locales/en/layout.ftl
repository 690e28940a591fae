# Messages about text that does not fit the page (src/layout/) and about the fonts.

layout-header-too-tall = the page header is { $header } mm tall; the page leaves { $room } mm for it above one line of the largest text with its cell padding ({ $needed } mm)
layout-header-too-tall-help = shorten the annex title or the header lines, or make the template's header_pt, line spacing or margins smaller
layout-title-too-tall = the title is taller than the room on a page below the header
layout-title-too-tall-help = shorten the title, or make the template's title_pt smaller
layout-too-wide = `{ $text }` cannot be cut to fit its column ({ $width } mm wide for text)
layout-too-wide-help = the template's column widths, padding or font sizes leave no room for this character; make the column wider or the type smaller
layout-font-unreadable = cannot read the font file: { $error }
layout-font-unreadable-help = check the font paths in the template ([fonts] regular and bold)
layout-font-unusable = not a usable font file: { $why }
layout-font-unusable-help = give a TrueType (.ttf) or OpenType (.otf) font in the template's [fonts] section
layout-font-no-cmap = it has no character map (cmap)
