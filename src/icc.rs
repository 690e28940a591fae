//! The PDF/A output intent's colour profile: read once when the project loads, and refused
//! unless its header says it is an ICC profile of an RGB device.
//!
//! Only the 128-byte header is checked (ICC.1:2022 section 7.2): the declared size matches the
//! file, the signature at offset 36 is `acsp`, the data colour space at offset 16 is `RGB `,
//! and the device class at offset 12 is one PDF/A allows for an output intent.

use crate::tr;
use std::ops::Range;

/// The ICC header's length in bytes.
const HEADER_LEN: usize = 128;
/// Where the header fields stand.
const SIZE_FIELD: Range<usize> = 0..4;
const DEVICE_CLASS_FIELD: Range<usize> = 12..16;
const COLOUR_SPACE_FIELD: Range<usize> = 16..20;
const SIGNATURE_FIELD: Range<usize> = 36..40;
/// The profile file signature.
const SIGNATURE: &[u8; 4] = b"acsp";
/// The data colour space of an sRGB profile.
const RGB_SPACE: &[u8; 4] = b"RGB ";
/// Device classes an output intent may use (ISO 19005-2, 6.2.3): output (`prtr`), display
/// (`mntr`) and colour space (`spac`) profiles.
const DEVICE_CLASSES: [&[u8; 4]; 3] = [b"prtr", b"mntr", b"spac"];

/// A checked ICC profile's bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IccProfile {
    pub bytes: Vec<u8>,
}

impl IccProfile {
    /// Checks the header of `bytes`; the error says what is wrong, for a located message.
    pub fn from_bytes(bytes: Vec<u8>) -> Result<IccProfile, String> {
        let field = |range: Range<usize>| bytes.get(range).unwrap_or_default();
        if bytes.len() < HEADER_LEN {
            return Err(tr!(
                "icc-too-short",
                bytes = bytes.len(),
                header = HEADER_LEN
            ));
        }
        if field(SIGNATURE_FIELD) != SIGNATURE {
            return Err(tr!("icc-no-signature"));
        }
        let declared = <[u8; 4]>::try_from(field(SIZE_FIELD)).map_or(0, u32::from_be_bytes);
        if usize::try_from(declared).ok() != Some(bytes.len()) {
            return Err(tr!(
                "icc-wrong-size",
                declared = declared,
                bytes = bytes.len()
            ));
        }
        let space = field(COLOUR_SPACE_FIELD);
        if space != RGB_SPACE {
            return Err(tr!(
                "icc-not-rgb",
                space = String::from_utf8_lossy(space).trim_end().to_string()
            ));
        }
        let class = field(DEVICE_CLASS_FIELD);
        if !DEVICE_CLASSES.iter().any(|c| c.as_slice() == class) {
            return Err(tr!(
                "icc-wrong-class",
                class = String::from_utf8_lossy(class).trim_end().to_string()
            ));
        }
        Ok(IccProfile { bytes })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(len: usize, class: &[u8; 4], space: &[u8; 4], sig: &[u8; 4]) -> Vec<u8> {
        let mut b = vec![0u8; len];
        b[0..4].copy_from_slice(&(len as u32).to_be_bytes());
        b[12..16].copy_from_slice(class);
        b[16..20].copy_from_slice(space);
        b[36..40].copy_from_slice(sig);
        b
    }

    #[test]
    fn the_bundled_srgb_profile_passes() {
        let bytes = std::fs::read("templates/sRGB.icc").unwrap();
        assert!(IccProfile::from_bytes(bytes).is_ok());
    }

    #[test]
    fn wrong_headers_are_refused_with_the_reason() {
        let ok = header(200, b"mntr", b"RGB ", b"acsp");
        assert!(IccProfile::from_bytes(ok.clone()).is_ok());
        let short = IccProfile::from_bytes(vec![0; 20]).unwrap_err();
        assert!(short.contains("fewer than"), "{short}");
        let random = IccProfile::from_bytes(vec![7; 300]).unwrap_err();
        assert!(random.contains("acsp"), "{random}");
        let cmyk = IccProfile::from_bytes(header(200, b"prtr", b"CMYK", b"acsp")).unwrap_err();
        assert!(cmyk.contains("CMYK"), "{cmyk}");
        let class = IccProfile::from_bytes(header(200, b"link", b"RGB ", b"acsp")).unwrap_err();
        assert!(class.contains("link"), "{class}");
        let mut truncated = ok;
        truncated.truncate(150);
        let size = IccProfile::from_bytes(truncated).unwrap_err();
        assert!(size.contains("declares 200"), "{size}");
    }
}
