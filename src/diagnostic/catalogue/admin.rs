//! Editing in the browser (`/admin/`, Decap CMS) and the layouts of records.

/// (English, French).
#[rustfmt::skip]
pub(super) const SENTENCES: &[(&str, &str)] = &[
    ("the record `{key}` is already written in {first}", "la fiche `{key}` est déjà écrite dans {first}"),
    ("give each record its own name, or remove one of the two files", "donnez à chaque fiche son propre nom, ou retirez l'un des deux fichiers"),
    ("`layout: files` needs the folder of the record files", "`layout: files` demande le dossier des fichiers des fiches"),
    ("e.g. `bodies: {name}` for content/{name}/", "par exemple `bodies: {name}` pour content/{name}/"),
    ("the collection needs its data file", "la collection a besoin de son fichier de données"),
    ("e.g. `data: {name}.yml`, or `layout: files` with one file per record", "par exemple `data: {name}.yml`, ou `layout: files` avec un fichier par fiche"),
    ("# Made by gazette from site.yml for Decap CMS (the editor at /admin/): do not edit, it is made again on every build and preview.", "# Fait par gazette d'après site.yml pour Decap CMS (l'éditeur de /admin/) : ne le modifiez pas, il est refait à chaque construction et aperçu."),
    ("# `{name}` is one data file (layout: map), which Decap cannot edit: `gazette records split {name}` writes one file per record.", "# `{name}` tient en un seul fichier de données (layout: map), que Decap ne sait pas modifier : `gazette records split {name}` écrit un fichier par fiche."),
    ("refused: {path} is outside the site's content and pictures", "refusé : {path} est en dehors du contenu et des images du site"),
    ("Not saved: the build would refuse it.", "Non enregistré : la construction du site le refuserait."),
    ("cannot check the save before writing it: {e}", "impossible de vérifier l'enregistrement avant de l'écrire : {e}"),
    ("cannot write {file}: {e}", "impossible d'écrire {file} : {e}"),
    ("Posts ({code})", "Articles ({code})"),
    ("Post", "Article"),
    ("Title", "Titre"),
    ("Text", "Texte"),
    ("Description", "Description"),
    ("Author", "Auteur ou autrice"),
    ("Image", "Image"),
    ("Tags", "Étiquettes"),
    ("Name", "Nom"),
    ("Year", "Année"),
    ("Role", "Rôle"),
    ("Editing", "Édition"),
    ("the account name alone, without @ or https://", "le nom du compte seul, sans @ ni https://"),
    ("a web address starting with https://", "une adresse web qui commence par https://"),
];
