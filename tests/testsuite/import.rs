//! `gazette import jekyll` on small fixture Jekyll sites.
