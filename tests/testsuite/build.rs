//! `gazette build` on fixture sites.
