//! The identity map: one instance per `(model, primary key)`.

use super::instance::AnyInstance;
use super::{downcast, Handle, Instance, SessionShared};
use crate::error::Result;
use crate::model::Model;
use crate::row::Row;
use crate::value::Value;
use rustc_hash::FxHashMap;
use std::any::TypeId;
use std::sync::{Arc, Weak};

/// One primary-key component in a hashable form.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum KeyPart {
    Int(i64),
    Text(String),
    Other(String),
}

impl KeyPart {
    fn from_value(v: &Value) -> KeyPart {
        match v {
            Value::Text(s) => KeyPart::Text(s.clone()),
            other => match other.as_i64() {
                Some(i) => KeyPart::Int(i),
                None => KeyPart::Other(format!("{other:?}")),
            },
        }
    }
}

/// A primary key's components: one inline (no allocation for the common single
/// integer key), or several.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum KeyParts {
    One(KeyPart),
    Many(Box<[KeyPart]>),
}

/// `(model type, primary key)`; also used to group rows by a key.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct IdentityKey {
    pub(crate) model: TypeId,
    key: KeyParts,
}

impl IdentityKey {
    /// The key for `model` with primary-key `values`; `None` if any part is NULL.
    pub(crate) fn new(model: TypeId, values: &[Value]) -> Option<IdentityKey> {
        Self::from_parts(model, values.iter())
    }

    /// The key for `model` from the values of `row` at `offset + i` for each `i` in
    /// `columns`, read in place.
    pub(crate) fn from_row(
        model: TypeId,
        row: &Row,
        offset: usize,
        columns: &[usize],
    ) -> Option<IdentityKey> {
        let values: Option<Vec<&Value>> = match columns {
            [one] => return Self::from_parts(model, std::iter::once(row.get(offset + one)?)),
            many => many.iter().map(|&c| row.get(offset + c)).collect(),
        };
        Self::from_parts(model, values?.into_iter())
    }

    fn from_parts<'v>(
        model: TypeId,
        mut values: impl ExactSizeIterator<Item = &'v Value>,
    ) -> Option<IdentityKey> {
        let key = match values.len() {
            0 => return None,
            1 => {
                let v = values.next()?;
                if v.is_null() {
                    return None;
                }
                KeyParts::One(KeyPart::from_value(v))
            }
            _ => {
                let parts: Option<Box<[KeyPart]>> = values
                    .map(|v| (!v.is_null()).then(|| KeyPart::from_value(v)))
                    .collect();
                KeyParts::Many(parts?)
            }
        };
        Some(IdentityKey { model, key })
    }
}

impl std::fmt::Display for KeyPart {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            KeyPart::Int(i) => write!(f, "{i}"),
            KeyPart::Text(s) => write!(f, "{s:?}"),
            KeyPart::Other(s) => f.write_str(s),
        }
    }
}

impl std::fmt::Display for IdentityKey {
    /// The key's values in parentheses: `(1)`, `("NZ")`, `(1, 2)`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.key {
            KeyParts::One(p) => write!(f, "({p})"),
            KeyParts::Many(parts) => {
                let parts: Vec<String> = parts.iter().map(ToString::to_string).collect();
                write!(f, "({})", parts.join(", "))
            }
        }
    }
}

/// Persistent instances by identity, held weakly: an unchanged instance nobody holds a
/// handle to is freed (pending, changed and deleted ones are held by the session's
/// other lists until flush or commit). Dead entries are swept as the map grows.
pub(crate) struct IdentityMap {
    map: FxHashMap<IdentityKey, Weak<dyn AnyInstance>>,
    sweep_at: usize,
}

impl Default for IdentityMap {
    fn default() -> Self {
        IdentityMap {
            map: FxHashMap::default(),
            sweep_at: 1024,
        }
    }
}

impl IdentityMap {
    pub(crate) fn get(&self, key: &IdentityKey) -> Option<Arc<dyn AnyInstance>> {
        self.map.get(key).and_then(Weak::upgrade)
    }

    pub(crate) fn insert(&mut self, key: IdentityKey, inst: &Arc<dyn AnyInstance>) {
        if self.map.len() >= self.sweep_at {
            self.map.retain(|_, w| w.strong_count() > 0);
            self.sweep_at = (self.map.len() * 2).max(1024);
        }
        self.map.insert(key, Arc::downgrade(inst));
    }

    pub(crate) fn remove(&mut self, key: &IdentityKey) {
        self.map.remove(key);
    }

    /// The handle for the columns of `M` in `row` from `offset`: the mapped instance
    /// if the row is loaded (left as it is unless `overwrite`), else a new one.
    pub(crate) fn materialize_at<M: Model>(
        &mut self,
        shared: &Arc<SessionShared>,
        row: &mut Row,
        offset: usize,
        overwrite: bool,
    ) -> Result<Handle<M>> {
        let key = IdentityKey::from_row(
            TypeId::of::<M>(),
            row,
            offset,
            M::table().primary_key_indices(),
        );
        if let Some(existing) = key.as_ref().and_then(|k| self.get(k)) {
            let inst = downcast::<M>(existing)?;
            if (overwrite || inst.is_expired()) && !inst.is_modified() {
                inst.load_values(row, offset)?;
            }
            return Ok(Handle::from_instance(inst));
        }
        let model = M::from_row(row, offset)?;
        let inst = Arc::new(Instance::loaded(model, Arc::downgrade(shared), key.clone()));
        if let Some(k) = key {
            self.insert(k, &(Arc::clone(&inst) as Arc<dyn AnyInstance>));
        }
        Ok(Handle::from_instance(inst))
    }

    /// Number of live instances.
    pub(crate) fn len(&self) -> usize {
        self.map.values().filter(|w| w.strong_count() > 0).count()
    }

    /// The live instances of the model type `model` (bulk update/delete sync).
    pub(crate) fn instances_of(&self, model: TypeId) -> Vec<Arc<dyn AnyInstance>> {
        self.map
            .iter()
            .filter(|(k, _)| k.model == model)
            .filter_map(|(_, w)| w.upgrade())
            .collect()
    }

    /// Every live instance.
    pub(crate) fn live(&self) -> Vec<Arc<dyn AnyInstance>> {
        self.map.values().filter_map(Weak::upgrade).collect()
    }

    /// Removes every entry, returning the live instances.
    pub(crate) fn drain(&mut self) -> Vec<Arc<dyn AnyInstance>> {
        self.map.drain().filter_map(|(_, w)| w.upgrade()).collect()
    }
}
