// askama compiles the templates and fluent-templates embeds the locale files, but neither
// tells cargo about those files: without this, editing only a template or a .ftl file
// would leave a cached build serving the old pages.
fn main() {
    println!("cargo:rerun-if-changed=templates");
    println!("cargo:rerun-if-changed=locales");
}
