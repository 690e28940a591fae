//! The text fields of a role card, one row each: the TOML key (also the template's
//! `[labels]` key), what messages call it, the kind of value and how the card page shows it.
//!
//! Adding a field is one row in the `card_fields!` table below (its variant, key, message,
//! kind and row shape), its label under `[labels]` in `templates/lisa.toml` and its
//! `cards-what-*` message in `src/locales/{et,en}/cards.ftl`. Nothing else names a field:
//! cards, the document, the template's labels and the diff keep one value per field in a
//! [`PerField`], and the loader, the page rows, the fit check and the diff walk the table.

use super::reader::FieldSpec;
use crate::tr;
use serde::de::{self, DeserializeSeed, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::ops::{Index, IndexMut};

/// Declares [`CardField`] and [`CARD_FIELDS`] from one list, so that the enum and the table
/// cannot disagree: the variants are numbered 0.. in table order and the table has one row
/// for each.
macro_rules! card_fields {
    ($($field:ident: $key:literal, $what:literal, $kind:ident, $row:ident;)+) => {
        /// One text field of a card, in the order the card page shows them.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum CardField {
            $($field,)+
        }

        /// The card's text fields in page order (each row's `field` is its position).
        pub const CARD_FIELDS: [CardFieldSpec; CARD_FIELD_COUNT] = [
            $(CardFieldSpec {
                field: CardField::$field,
                key: $key,
                what: $what,
                kind: FieldKind::$kind,
                row: RowShape::$row,
            },)+
        ];

        /// The keys of [`CARD_FIELDS`], as serde names the expected ones.
        const CARD_FIELD_KEYS: &[&str] = &[$($key),+];

        /// How many text fields a card has.
        pub const CARD_FIELD_COUNT: usize = CARD_FIELD_KEYS.len();
    };
}

card_fields! {
    Why: "why", "cards-what-why", Text, Labelled;
    Roles: "roles", "cards-what-roles", Text, Labelled;
    Purpose: "purpose", "cards-what-purpose", Text, Heading;
    Benefit: "benefit", "cards-what-benefit", Text, Heading;
    TargetGroups: "target_groups", "cards-what-target-groups", Text, PairLeft;
    Competences: "competences", "cards-what-competences", TextList, PairRight;
    JobFamily: "job_family", "cards-what-job-family", Text, Labelled;
}

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

/// One value for each card field, in [`CARD_FIELDS`] order: a card's texts, their marked
/// versions in the document, the template's labels, the diff of each field.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct PerField<T>([T; CARD_FIELD_COUNT]);

impl<T> PerField<T> {
    /// The value of each field from its row of the table, made in table order.
    pub fn from_fn(make: impl FnMut(&CardFieldSpec) -> T) -> Self {
        PerField(CARD_FIELDS.each_ref().map(make))
    }

    /// Each field's row with its value, in table order.
    pub fn iter(&self) -> impl Iterator<Item = (&'static CardFieldSpec, &T)> {
        CARD_FIELDS.iter().zip(&self.0)
    }

    /// The values in table order.
    pub fn values(&self) -> std::slice::Iter<'_, T> {
        self.0.iter()
    }

    /// The values in table order, to change.
    pub fn values_mut(&mut self) -> std::slice::IterMut<'_, T> {
        self.0.iter_mut()
    }

    /// A value for each field made from this one's.
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> PerField<U> {
        PerField(self.0.map(f))
    }

    /// Borrows each value.
    pub fn as_ref(&self) -> PerField<&T> {
        PerField(self.0.each_ref())
    }
}

impl<T> PerField<Option<T>> {
    /// Every field's value, when every field has one.
    pub fn transpose(self) -> Option<PerField<T>> {
        let all: Vec<T> = self.0.into_iter().collect::<Option<_>>()?;
        all.try_into().ok().map(PerField)
    }
}

impl<T> Index<CardField> for PerField<T> {
    type Output = T;

    fn index(&self, field: CardField) -> &T {
        // Cannot panic: `card_fields!` numbers the variants from 0 and sizes the array by
        // their count.
        #[allow(clippy::indexing_slicing)]
        &self.0[field as usize]
    }
}

impl<T> IndexMut<CardField> for PerField<T> {
    fn index_mut(&mut self, field: CardField) -> &mut T {
        // Cannot panic, as in `index`.
        #[allow(clippy::indexing_slicing)]
        &mut self.0[field as usize]
    }
}

/// A table keyed by the fields' TOML keys (the template's `[labels]`), every key required
/// and no other allowed, with serde's own messages for an unknown or a missing key.
impl<'de, T: Deserialize<'de>> Deserialize<'de> for PerField<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(PerFieldVisitor(std::marker::PhantomData))
    }
}

struct PerFieldVisitor<T>(std::marker::PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for PerFieldVisitor<T> {
    type Value = PerField<T>;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str(&tr!("cards-fields-expected"))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut values: PerField<Option<T>> = PerField::from_fn(|_| None);
        while let Some(field) = map.next_key_seed(FieldKey)? {
            let slot = &mut values[field];
            if slot.is_some() {
                return Err(de::Error::duplicate_field(field.spec().key));
            }
            *slot = Some(map.next_value()?);
        }
        let missing = values
            .iter()
            .find_map(|(spec, value)| value.is_none().then_some(spec.key));
        values
            .transpose()
            .ok_or_else(|| de::Error::missing_field(missing.unwrap_or_default()))
    }
}

/// Reads a key as the field it names (an identifier, so that the error of an unknown key
/// points at the key).
struct FieldKey;

impl<'de> DeserializeSeed<'de> for FieldKey {
    type Value = CardField;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<CardField, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl Visitor<'_> for FieldKey {
    type Value = CardField;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str(&tr!("cards-field-expected"))
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<CardField, E> {
        CARD_FIELDS
            .iter()
            .find(|spec| spec.key == key)
            .map(|spec| spec.field)
            .ok_or_else(|| E::unknown_field(key, CARD_FIELD_KEYS))
    }
}

/// A map from each field's key to its value, in table order.
impl<T: Serialize> Serialize for PerField<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(CARD_FIELD_COUNT))?;
        for (spec, value) in self.iter() {
            map.serialize_entry(spec.key, value)?;
        }
        map.end()
    }
}

/// The table, indexed by field.
static TABLE: PerField<CardFieldSpec> = PerField(CARD_FIELDS);

impl CardField {
    /// The field's row of [`CARD_FIELDS`].
    pub fn spec(self) -> &'static CardFieldSpec {
        &TABLE[self]
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
