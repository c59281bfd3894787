//! The employer register in memory: every employer under a dense [`EmployerKey`], and an
//! index from employer id to key.

use std::hash::Hasher;

use domain::HsicSection;
use hashbrown::HashTable;

use rustc_hash::FxHasher;

/// An employer's position in the [`Register`]: a dense index, so per-employer state can
/// live in a vector rather than a map keyed by strings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EmployerKey(u32);

impl EmployerKey {
    pub(crate) fn index(self) -> usize {
        self.0 as usize
    }

    pub(crate) fn as_u32(self) -> u32 {
        self.0
    }

    /// The key [`EmployerKey::as_u32`] gave, read back from a spill file of this run.
    pub(crate) fn from_u32(key: u32) -> EmployerKey {
        EmployerKey(key)
    }
}

/// One row of the employer register.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Employer {
    pub id: String,
    pub name: String,
    pub section: HsicSection,
    pub district: String,
    pub headcount: u32,
}

/// The employer register, indexed by employer id.
///
/// Memory: one [`Employer`] and one index slot per employer, about 140 bytes each with
/// short names, so 300,000 employers take some 42 MB. The index holds each id's hash and
/// position, not the id: no id is stored twice, and neither growing the index nor a probe
/// that does not match reads an id.
#[derive(Debug, Clone, Default)]
pub struct Register {
    employers: Vec<Employer>,
    index: HashTable<(u64, EmployerKey)>,
}

/// The hash of an employer id in the index.
pub(crate) fn id_hash(id: &str) -> u64 {
    let mut hasher = FxHasher::default();
    hasher.write(id.as_bytes());
    hasher.finish()
}

impl Register {
    pub fn key(&self, employer_id: &str) -> Option<EmployerKey> {
        let hash = id_hash(employer_id);
        let employers = &self.employers;
        self.index
            .find(hash, |&(known_hash, key)| {
                known_hash == hash && employers[key.index()].id == employer_id
            })
            .map(|&(_, key)| key)
    }

    /// The key of the employer registered right after `key`, if its id is `employer_id`:
    /// files tend to list employers in the register's order, and this look needs none of
    /// the index, whose lookups miss the cache.
    pub(crate) fn key_after(&self, key: EmployerKey, employer_id: &str) -> Option<EmployerKey> {
        let next = EmployerKey(key.0.saturating_add(1));
        self.employers
            .get(next.index())
            .is_some_and(|employer| employer.id == employer_id)
            .then_some(next)
    }

    pub fn get(&self, key: EmployerKey) -> &Employer {
        &self.employers[key.index()]
    }

    pub fn len(&self) -> usize {
        self.employers.len()
    }

    pub fn is_empty(&self) -> bool {
        self.employers.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (EmployerKey, &Employer)> + '_ {
        self.employers
            .iter()
            .enumerate()
            .map(|(index, employer)| (EmployerKey(index as u32), employer))
    }

    /// Adds an employer; gives it back if its id is already registered (or the register
    /// is full).
    pub fn insert(&mut self, employer: Employer) -> Result<EmployerKey, Employer> {
        let hash = id_hash(&employer.id);
        self.insert_hashed(employer, hash)
    }

    /// [`Register::insert`] with the id's hash computed already (on a parsing thread).
    pub(crate) fn insert_hashed(
        &mut self,
        employer: Employer,
        hash: u64,
    ) -> Result<EmployerKey, Employer> {
        let Ok(key) = u32::try_from(self.employers.len()).map(EmployerKey) else {
            return Err(employer);
        };
        let employers = &self.employers;
        let entry = self.index.entry(
            hash,
            |&(known_hash, known)| known_hash == hash && employers[known.index()].id == employer.id,
            |&(known_hash, _)| known_hash,
        );
        match entry {
            hashbrown::hash_table::Entry::Occupied(_) => Err(employer),
            hashbrown::hash_table::Entry::Vacant(slot) => {
                slot.insert((hash, key));
                self.employers.push(employer);
                Ok(key)
            }
        }
    }
}
