//! Typed ids, so a student id can never be passed where a guardian id is wanted.

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(i64);

        impl $name {
            pub fn new(id: i64) -> Self {
                Self(id)
            }

            pub fn get(self) -> i64 {
                self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id_type!(
    /// A parent or tutor who pays (tutore / genitore pagante).
    GuardianId
);
id_type!(
    /// A member of the comune's staff.
    OperatorId
);
id_type!(
    /// A child enrolled in the meal service (alunno).
    StudentId
);
id_type!(SchoolId);
id_type!(ClassId);
