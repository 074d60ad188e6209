//! The memory allocator of the `gazette` command: mimalloc (the one module that knows the crate).
//!
//! Why not the system's: a build allocates and frees millions of small values (template
//! contexts, pages, paths) from every core at once. glibc's `malloc` spent 3.3 s of a
//! 100,000-post build searching its free lists; with mimalloc the same build takes a quarter
//! less time, and its processor time grows with the site again (README, performance).

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
