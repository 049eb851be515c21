// `sqlx::migrate!` embeds the migrations at compile time; without this a new migration
// file alone would not rebuild the crate, and a cached build would miss it.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
