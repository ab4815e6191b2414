//! The public API of `actix-route-cors` is the checked list in `tests/public_api.txt`: this
//! test reads the facade's `src/lib.rs`, follows each re-export into `cors-macros` and
//! `cors-runtime`, and lists every public item it reaches (modules, types, functions, constants,
//! macros; fields, variants, methods and trait implementations of the types), leaving out what
//! is `#[doc(hidden)]`. An item added to or removed from the surface without the list changing
//! fails here, naming the items; after a reviewed decision,
//! `UPDATE_PUBLIC_API=1 cargo test -p public-api-test` rewrites the list, and its diff is part
//! of the change.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use syn::{Attribute, Item, UseTree, Visibility};

const FACADE: &str = "actix_route_cors";
/// The checked list, from the workspace root.
const SNAPSHOT: &str = "tests/public_api.txt";
/// Set (to anything but `0`) to rewrite [`SNAPSHOT`] with the list the sources give.
const UPDATE: &str = "UPDATE_PUBLIC_API";

/// The workspace root (this package is `tests/public_api`).
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn parse(path: &Path) -> syn::File {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    syn::parse_file(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn hidden(attrs: &[Attribute]) -> bool {
    attrs.iter().any(|a| {
        (a.path().is_ident("doc") || a.path().is_ident("cfg"))
            && a.meta.require_list().is_ok_and(|l| {
                ["hidden", "doctest", "test"].contains(&l.tokens.to_string().as_str())
            })
    })
}

fn public(vis: &Visibility) -> bool {
    matches!(vis, Visibility::Public(_))
}

/// One crate of the workspace: its source folder, with each module's items.
struct Crate {
    src: PathBuf,
}

/// A module of a crate: its file's items (or an inline module's), and the folder its child
/// modules live in.
#[derive(Clone)]
struct Module {
    items: Vec<Item>,
    dir: PathBuf,
}

impl Crate {
    fn root(&self) -> Module {
        Module {
            items: parse(&self.src.join("lib.rs")).items,
            dir: self.src.clone(),
        }
    }

    /// The module `path` (from the crate root).
    fn module(&self, path: &[String]) -> Module {
        let mut module = self.root();
        for name in path {
            module = child(&module, name).unwrap_or_else(|| panic!("no module {path:?}"));
        }
        module
    }
}

fn child(module: &Module, name: &str) -> Option<Module> {
    module.items.iter().find_map(|item| match item {
        Item::Mod(m) if m.ident == name => Some(match &m.content {
            Some((_, items)) => Module {
                items: items.clone(),
                dir: module.dir.join(name),
            },
            None => {
                let file = [
                    module.dir.join(format!("{name}.rs")),
                    module.dir.join(name).join("mod.rs"),
                ]
                .into_iter()
                .find(|p| p.exists())
                .unwrap_or_else(|| panic!("no file for mod {name} in {}", module.dir.display()));
                Module {
                    items: parse(&file).items,
                    dir: module.dir.join(name),
                }
            }
        }),
        _ => None,
    })
}

/// Where a name is defined: the module path in its crate and the item.
struct Found {
    item: Item,
}

/// The definition of `name`, seen from the module at `path`, following `use` declarations.
fn resolve(krate: &Crate, path: &[String], name: &str) -> Found {
    let module = krate.module(path);
    for item in &module.items {
        if item_name(item).as_deref() == Some(name) {
            return Found { item: item.clone() };
        }
    }
    for item in &module.items {
        if let Item::Use(u) = item {
            let mut prefix = Vec::new();
            if let Some(target) = find_use(&u.tree, name, &mut prefix) {
                let (module_path, last) = absolute(path, &target);
                return resolve(krate, &module_path, &last);
            }
        }
    }
    panic!("`{name}` not found in module {path:?}");
}

/// The path a `use` tree brings `name` in from, if it does.
fn find_use(tree: &UseTree, name: &str, prefix: &mut Vec<String>) -> Option<Vec<String>> {
    match tree {
        UseTree::Path(p) => {
            prefix.push(p.ident.to_string());
            let found = find_use(&p.tree, name, prefix);
            prefix.pop();
            found
        }
        UseTree::Name(n) if n.ident == name => {
            let mut full = prefix.clone();
            full.push(n.ident.to_string());
            Some(full)
        }
        UseTree::Rename(r) if r.rename == name => {
            let mut full = prefix.clone();
            full.push(r.ident.to_string());
            Some(full)
        }
        UseTree::Group(g) => g.items.iter().find_map(|t| find_use(t, name, prefix)),
        _ => None,
    }
}

/// A `use` path (`crate::a::B`, `super::B`, `a::B`) seen from module `from`, as the module path
/// from the crate root and the last name.
fn absolute(from: &[String], target: &[String]) -> (Vec<String>, String) {
    let mut module: Vec<String> = from.to_vec();
    let mut segments = target.iter().peekable();
    match segments.peek().map(|s| s.as_str()) {
        Some("crate") => {
            module.clear();
            segments.next();
        }
        Some("self") => {
            segments.next();
        }
        _ => {}
    }
    while segments.peek().map(|s| s.as_str()) == Some("super") {
        module.pop();
        segments.next();
    }
    let rest: Vec<String> = segments.cloned().collect();
    let (last, dirs) = rest.split_last().expect("a path");
    module.extend(dirs.iter().cloned());
    (module, last.clone())
}

fn item_name(item: &Item) -> Option<String> {
    Some(match item {
        Item::Struct(i) => i.ident.to_string(),
        Item::Enum(i) => i.ident.to_string(),
        Item::Fn(i) => i.sig.ident.to_string(),
        Item::Const(i) => i.ident.to_string(),
        Item::Static(i) => i.ident.to_string(),
        Item::Trait(i) => i.ident.to_string(),
        Item::Type(i) => i.ident.to_string(),
        Item::Mod(i) => i.ident.to_string(),
        _ => return None,
    })
}

/// Every item of every file of a crate (for the `impl` blocks of a type).
fn all_items(dir: &Path, out: &mut Vec<Item>) {
    for entry in std::fs::read_dir(dir).expect("a source folder") {
        let path = entry.expect("an entry").path();
        if path.is_dir() {
            all_items(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            flatten(parse(&path).items, out);
        }
    }
}

fn flatten(items: Vec<Item>, out: &mut Vec<Item>) {
    for item in items {
        if let Item::Mod(m) = &item {
            if let Some((_, inner)) = &m.content {
                flatten(inner.clone(), out);
            }
        }
        out.push(item);
    }
}

fn last_segment(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

/// Lists the public items of the facade.
struct Lister {
    runtime: Crate,
    macros: Crate,
    runtime_items: Vec<Item>,
    hidden_traits: BTreeSet<String>,
    lines: BTreeSet<String>,
}

impl Lister {
    fn add(&mut self, path: &str, kind: &str) {
        self.lines.insert(format!("{path}  ({kind})"));
    }

    /// The items of a facade module (the crate root, or an inline `pub mod`).
    fn module(&mut self, prefix: &str, items: &[Item]) {
        for item in items {
            match item {
                Item::Use(u) if public(&u.vis) && !hidden(&u.attrs) => {
                    let mut leaves = Vec::new();
                    leaves_of(&u.tree, &mut Vec::new(), &mut leaves);
                    for (path, name) in leaves {
                        self.reexport(prefix, &path, &name);
                    }
                }
                Item::Mod(m) if public(&m.vis) && !hidden(&m.attrs) => {
                    let path = format!("{prefix}::{}", m.ident);
                    self.add(&path, "mod");
                    let inner = m
                        .content
                        .as_ref()
                        .map(|(_, i)| i.clone())
                        .unwrap_or_default();
                    self.module(&path, &inner);
                }
                other => {
                    if let Some(name) = item_name(other) {
                        if item_public(other) {
                            self.item(&format!("{prefix}::{name}"), other);
                        }
                    }
                }
            }
        }
    }

    /// `pub use <path>::<name>` in the facade.
    fn reexport(&mut self, prefix: &str, path: &[String], name: &str) {
        let shown = format!("{prefix}::{name}");
        match path.first().map(String::as_str) {
            Some("cors_macros") => {
                let found = resolve(&self.macros, &[], name);
                let Item::Fn(f) = &found.item else {
                    panic!("{name} is not a macro fn")
                };
                let kind = if f
                    .attrs
                    .iter()
                    .any(|a| a.path().is_ident("proc_macro_attribute"))
                {
                    "attribute macro"
                } else {
                    "macro"
                };
                self.add(&shown, kind);
            }
            Some("cors_runtime") => {
                let found = resolve(&self.runtime, &path[1..], name);
                assert!(
                    !item_hidden(&found.item),
                    "{shown} re-exports a #[doc(hidden)] item"
                );
                self.item(&shown, &found.item);
            }
            // `::actix_web` and other crates: a module re-exported whole.
            _ => self.add(&shown, "re-export"),
        }
    }

    /// One public item, with its members.
    fn item(&mut self, path: &str, item: &Item) {
        match item {
            Item::Struct(s) => {
                self.add(path, "struct");
                if let syn::Fields::Named(fields) = &s.fields {
                    for f in &fields.named {
                        if public(&f.vis) && !hidden(&f.attrs) {
                            self.add(&format!("{path}::{}", f.ident.as_ref().unwrap()), "field");
                        }
                    }
                }
                if let syn::Fields::Unnamed(fields) = &s.fields {
                    for (i, f) in fields.unnamed.iter().enumerate() {
                        if public(&f.vis) {
                            self.add(&format!("{path}::{i}"), "field");
                        }
                    }
                }
                self.derives(path, &s.attrs);
                self.members(path, &s.ident.to_string());
            }
            Item::Enum(e) => {
                let non_exhaustive = e.attrs.iter().any(|a| a.path().is_ident("non_exhaustive"));
                self.add(
                    path,
                    if non_exhaustive {
                        "enum, non_exhaustive"
                    } else {
                        "enum"
                    },
                );
                for v in &e.variants {
                    if !hidden(&v.attrs) {
                        let variant = format!("{path}::{}", v.ident);
                        self.add(&variant, "variant");
                        for f in v.fields.iter().filter_map(|f| f.ident.as_ref()) {
                            self.add(&format!("{variant}::{f}"), "variant field");
                        }
                    }
                }
                self.derives(path, &e.attrs);
                self.members(path, &e.ident.to_string());
            }
            Item::Fn(_) => self.add(path, "fn"),
            Item::Const(_) => self.add(path, "const"),
            Item::Static(_) => self.add(path, "static"),
            Item::Trait(_) => self.add(path, "trait"),
            Item::Type(_) => self.add(path, "type"),
            Item::Mod(_) => self.add(path, "mod"),
            _ => {}
        }
    }

    fn derives(&mut self, path: &str, attrs: &[Attribute]) {
        for attr in attrs.iter().filter(|a| a.path().is_ident("derive")) {
            let _ = attr.parse_nested_meta(|meta| {
                let name = meta
                    .path
                    .segments
                    .last()
                    .map(|s| s.ident.to_string())
                    .unwrap_or_default();
                self.add(&format!("impl {name} for {path}"), "derive");
                Ok(())
            });
        }
    }

    /// The public methods and trait implementations of the type `name` defined in cors-runtime.
    fn members(&mut self, path: &str, name: &str) {
        let impls: Vec<syn::ItemImpl> = self
            .runtime_items
            .iter()
            .filter_map(|i| match i {
                Item::Impl(imp) if last_segment(&imp.self_ty).as_deref() == Some(name) => {
                    Some(imp.clone())
                }
                _ => None,
            })
            .collect();
        for imp in impls {
            match &imp.trait_ {
                Some((_, trait_path, _)) => {
                    let trait_name = trait_path
                        .segments
                        .last()
                        .map(|s| s.ident.to_string())
                        .unwrap_or_default();
                    if !self.hidden_traits.contains(&trait_name) {
                        self.add(&format!("impl {trait_name} for {path}"), "impl");
                    }
                }
                None => {
                    for member in &imp.items {
                        match member {
                            syn::ImplItem::Fn(f) if public(&f.vis) && !hidden(&f.attrs) => {
                                self.add(&format!("{path}::{}", f.sig.ident), "method");
                            }
                            syn::ImplItem::Const(c) if public(&c.vis) && !hidden(&c.attrs) => {
                                self.add(&format!("{path}::{}", c.ident), "associated const");
                            }
                            _ => {}
                        }
                    }
                }
            }
        }
    }
}

/// An item's visibility and attributes.
fn vis_attrs(item: &Item) -> Option<(&Visibility, &[Attribute])> {
    Some(match item {
        Item::Struct(i) => (&i.vis, &i.attrs),
        Item::Enum(i) => (&i.vis, &i.attrs),
        Item::Fn(i) => (&i.vis, &i.attrs),
        Item::Const(i) => (&i.vis, &i.attrs),
        Item::Static(i) => (&i.vis, &i.attrs),
        Item::Trait(i) => (&i.vis, &i.attrs),
        Item::Type(i) => (&i.vis, &i.attrs),
        Item::Mod(i) => (&i.vis, &i.attrs),
        _ => return None,
    })
}

fn item_public(item: &Item) -> bool {
    vis_attrs(item).is_some_and(|(vis, attrs)| public(vis) && !hidden(attrs))
}

fn item_hidden(item: &Item) -> bool {
    vis_attrs(item).is_some_and(|(_, attrs)| hidden(attrs))
}

/// The (path, name) of each name a `use` tree re-exports.
fn leaves_of(tree: &UseTree, prefix: &mut Vec<String>, out: &mut Vec<(Vec<String>, String)>) {
    match tree {
        UseTree::Path(p) => {
            prefix.push(p.ident.to_string());
            leaves_of(&p.tree, prefix, out);
            prefix.pop();
        }
        UseTree::Name(n) => out.push((prefix.clone(), n.ident.to_string())),
        UseTree::Rename(r) => out.push((prefix.clone(), r.ident.to_string())),
        UseTree::Group(g) => g.items.iter().for_each(|t| leaves_of(t, prefix, out)),
        UseTree::Glob(_) => panic!(
            "a glob re-export (`{}::*`) publishes whatever that module has: re-export item by item",
            prefix.join("::")
        ),
    }
}

fn listed() -> String {
    let runtime = Crate {
        src: root().join("cors-runtime/src"),
    };
    let mut runtime_items = Vec::new();
    all_items(&runtime.src, &mut runtime_items);
    let hidden_traits = runtime_items
        .iter()
        .filter_map(|i| match i {
            Item::Trait(t) if hidden(&t.attrs) => Some(t.ident.to_string()),
            _ => None,
        })
        .collect();
    let mut lister = Lister {
        runtime,
        macros: Crate {
            src: root().join("cors-macros/src"),
        },
        runtime_items,
        hidden_traits,
        lines: BTreeSet::new(),
    };
    let facade = parse(&root().join("src/lib.rs"));
    lister.module(FACADE, &facade.items);
    lister.lines.into_iter().map(|l| l + "\n").collect()
}

#[test]
fn the_public_api_is_the_checked_list() {
    let path = root().join(SNAPSHOT);
    let actual = listed();
    if std::env::var(UPDATE).is_ok_and(|v| v != "0") {
        std::fs::write(&path, &actual).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        return;
    }
    let written = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (write it with `{UPDATE}=1 cargo test -p public-api-test`)",
            path.display()
        )
    });
    let lines = |list: &str| {
        list.lines()
            .map(str::to_owned)
            .collect::<BTreeSet<String>>()
    };
    let (written_lines, actual_lines) = (lines(&written), lines(&actual));
    let mut changes: Vec<String> = actual_lines
        .difference(&written_lines)
        .map(|l| format!("+ {l}"))
        .collect();
    changes.extend(
        written_lines
            .difference(&actual_lines)
            .map(|l| format!("- {l}")),
    );
    assert!(
        written == actual,
        "the public API differs from {SNAPSHOT} (+ in the source only, - in the list only):\n{}\n\n\
         If the change is deliberate (every item is a semver promise), rewrite the list with \
         `{UPDATE}=1 cargo test -p public-api-test` and commit it with the change.\n",
        changes.join("\n")
    );
}

#[test]
fn the_lister_follows_reexports_and_leaves_out_hidden_items() {
    let list = listed();
    // Re-exported through `pub use origin_source::{..}` in cors-runtime's lib.rs.
    assert!(
        list.contains("actix_route_cors::OriginSource::load  (method)\n"),
        "{list}"
    );
    // An inline facade module that re-exports from a runtime module.
    assert!(
        list.contains("actix_route_cors::audit::routes  (fn)\n"),
        "{list}"
    );
    assert!(
        list.contains("actix_route_cors::cors  (attribute macro)\n"),
        "{list}"
    );
    assert!(
        list.contains("impl Display for actix_route_cors::OriginPattern  (impl)\n"),
        "{list}"
    );
    // #[doc(hidden)]: a module, a method, a trait's implementation.
    assert!(!list.contains("__private"), "{list}");
    assert!(!list.contains("Policy::from_valid"), "{list}");
    assert!(!list.contains("IsOriginSource"), "{list}");
}
