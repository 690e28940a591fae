//! Units of length shared by the layout and the renderers: millimetres (the template) and
//! typographic points (PDF, font sizes). One place for the conversion.

/// Millimetres in an inch.
pub const MM_PER_INCH: f32 = 25.4;
/// Typographic points in an inch.
pub const PT_PER_INCH: f32 = 72.0;
/// Points per millimetre.
pub const PT_PER_MM: f32 = PT_PER_INCH / MM_PER_INCH;

/// Millimetres to points.
pub fn mm_to_pt(mm: f32) -> f32 {
    mm * PT_PER_MM
}

/// `value >= min`, false for NaN (so that a NaN is refused, never accepted).
pub fn at_least(value: f32, min: f32) -> bool {
    value >= min
}

/// Points to millimetres.
pub fn pt_to_mm(pt: f32) -> f32 {
    pt / PT_PER_MM
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_inch_is_72_points() {
        assert!((super::mm_to_pt(25.4) - 72.0).abs() < 1e-4);
        assert!((super::pt_to_mm(72.0) - 25.4).abs() < 1e-4);
    }
}

/// The sheet size and margins, in millimetres: the template's `[page]`, and the document's
/// sheet.
#[derive(Debug, Clone, Copy, PartialEq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SheetGeometry {
    pub width_mm: f32,
    pub height_mm: f32,
    pub margin_top_mm: f32,
    pub margin_bottom_mm: f32,
    pub margin_left_mm: f32,
    pub margin_right_mm: f32,
}

impl SheetGeometry {
    /// The width between the left and right margins.
    pub fn content_width_mm(&self) -> f32 {
        self.width_mm - self.margin_left_mm - self.margin_right_mm
    }
}
