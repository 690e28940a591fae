//! The text fields of a role card, one row each: the TOML key (also the template's
//! `[labels]` key), what messages call it, the kind of value and how the card page shows it.
//!
//! The loader, `Card::fields`, the template's labels and the fit check walk this table; a
//! test checks that the `Card` struct, the template and the document agree with it.

use super::reader::FieldSpec;

/// One text field of a card, in the order the card page shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CardField {
    Why,
    Roles,
    Purpose,
    Benefit,
    TargetGroups,
    Competences,
    JobFamily,
}

/// The member for `$field` of `$owner`, a struct with one member per card field named by its
/// TOML key (`Card`, `CardContent`, the template's `Labels`), borrowed with `$borrow` (`&` or
/// `&mut`): the one place the fields' member names are spelled out.
macro_rules! field_member {
    ($owner:expr, $field:expr, $($borrow:tt)+) => {
        match $field {
            $crate::cards::CardField::Why => $($borrow)+ $owner.why,
            $crate::cards::CardField::Roles => $($borrow)+ $owner.roles,
            $crate::cards::CardField::Purpose => $($borrow)+ $owner.purpose,
            $crate::cards::CardField::Benefit => $($borrow)+ $owner.benefit,
            $crate::cards::CardField::TargetGroups => $($borrow)+ $owner.target_groups,
            $crate::cards::CardField::Competences => $($borrow)+ $owner.competences,
            $crate::cards::CardField::JobFamily => $($borrow)+ $owner.job_family,
        }
    };
}
pub(crate) use field_member;

/// What a field's TOML value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// One string of paragraphs separated by blank lines.
    Text,
    /// A list of strings, each one or more paragraphs.
    TextList,
}

/// How the card page's table shows a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowShape {
    /// The label in the left column, the text beside it.
    Labelled,
    /// A full-width heading bar with the label, the text in a row below.
    Heading,
    /// The left half of a side-by-side pair (split at `table.groups_column_mm`): the label
    /// in a heading bar, the text below; the next field is the right half.
    PairLeft,
    /// The right half of the pair the previous field starts.
    PairRight,
}

/// One row of [`CARD_FIELDS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CardFieldSpec {
    pub field: CardField,
    /// The key in a card file and in the template's `[labels]`.
    pub key: &'static str,
    /// The Fluent id of what the loader's messages call the field.
    pub what: &'static str,
    pub kind: FieldKind,
    pub row: RowShape,
}

impl CardFieldSpec {
    /// The key and its description, as the TOML reader takes them.
    pub(crate) fn reader_spec(&self) -> FieldSpec {
        FieldSpec {
            key: self.key,
            what: self.what,
        }
    }
}

/// How many text fields a card has.
pub const CARD_FIELD_COUNT: usize = 7;

/// The card's text fields in page order. A new field is one row here, its label in the
/// template, its `cards-what-*` message, and a member of `Card`.
pub const CARD_FIELDS: [CardFieldSpec; CARD_FIELD_COUNT] = [
    row(
        CardField::Why,
        "why",
        "cards-what-why",
        FieldKind::Text,
        RowShape::Labelled,
    ),
    row(
        CardField::Roles,
        "roles",
        "cards-what-roles",
        FieldKind::Text,
        RowShape::Labelled,
    ),
    row(
        CardField::Purpose,
        "purpose",
        "cards-what-purpose",
        FieldKind::Text,
        RowShape::Heading,
    ),
    row(
        CardField::Benefit,
        "benefit",
        "cards-what-benefit",
        FieldKind::Text,
        RowShape::Heading,
    ),
    row(
        CardField::TargetGroups,
        "target_groups",
        "cards-what-target-groups",
        FieldKind::Text,
        RowShape::PairLeft,
    ),
    row(
        CardField::Competences,
        "competences",
        "cards-what-competences",
        FieldKind::TextList,
        RowShape::PairRight,
    ),
    row(
        CardField::JobFamily,
        "job_family",
        "cards-what-job-family",
        FieldKind::Text,
        RowShape::Labelled,
    ),
];

const fn row(
    field: CardField,
    key: &'static str,
    what: &'static str,
    kind: FieldKind,
    row: RowShape,
) -> CardFieldSpec {
    CardFieldSpec {
        field,
        key,
        what,
        kind,
        row,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_pair_has_two_halves_and_rows_are_in_enum_order() {
        for (i, spec) in CARD_FIELDS.iter().enumerate() {
            assert_eq!(spec.field as usize, i, "{} out of enum order", spec.key);
            let next = CARD_FIELDS.get(i + 1).map(|s| s.row);
            let previous = i
                .checked_sub(1)
                .and_then(|p| CARD_FIELDS.get(p))
                .map(|s| s.row);
            match spec.row {
                RowShape::PairLeft => assert_eq!(next, Some(RowShape::PairRight), "{}", spec.key),
                RowShape::PairRight => {
                    assert_eq!(previous, Some(RowShape::PairLeft), "{}", spec.key)
                }
                RowShape::Labelled | RowShape::Heading => {}
            }
        }
    }
}
