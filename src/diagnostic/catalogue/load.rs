//! Reading the site: site.yml, files, YAML, front matter, records.

/// (English, French).
#[rustfmt::skip]
pub(super) const SENTENCES: &[(&str, &str)] = &[
    ("this YAML cannot be read: `{key}` is not a key gazette knows here", "ce YAML ne peut pas être lu : gazette ne connaît pas de clé `{key}` à cet endroit"),
    ("this YAML cannot be read: {reason}", "ce YAML ne peut pas être lu à cet endroit"),
    ("this YAML cannot be read: the quote opened here is never closed", "ce YAML ne peut pas être lu : le guillemet ouvert ici n'est jamais fermé"),
    ("close the quote at the end of the value, on the same line: title: \"…\"", "fermez le guillemet à la fin de la valeur, sur la même ligne : title: \"…\""),
    ("this YAML cannot be read: the apostrophe in this value ends the text opened by `'`", "ce YAML ne peut pas être lu : l'apostrophe de cette valeur termine le texte ouvert par `'`"),
    ("put the value between double quotes: title: \"l'été\" (or write the apostrophe twice: 'l''été')", "mettez la valeur entre guillemets doubles : title: \"l'été\" (ou doublez l'apostrophe : 'l''été')"),
    ("this YAML cannot be read: this line is indented by {found} spaces, the lines around it by {expected}", "ce YAML ne peut pas être lu : cette ligne est décalée de {found} espaces, les lignes voisines de {expected}"),
    ("indentation matters in YAML: indent this line by {expected} spaces, so that it lines up with the other fields of its record", "en YAML, le décalage compte : décalez cette ligne de {expected} espaces, pour l'aligner sur les autres champs de sa fiche"),
    ("this YAML cannot be read: this line is indented with a tab", "ce YAML ne peut pas être lu : cette ligne est décalée par une tabulation"),
    ("YAML does not allow tabs for indentation: use spaces", "YAML n'accepte pas les tabulations pour décaler les lignes : utilisez des espaces"),
    ("this YAML cannot be read: this value contains `: `", "ce YAML ne peut pas être lu : cette valeur contient `: `"),
    ("a value that contains `: ` must be put in quotes, e.g. title: \"Bilan : une année\"", "une valeur qui contient `: ` doit être mise entre guillemets, par exemple title: \"Bilan : une année\""),
    ("did you mean `{close}`? Known keys here: {known}", "vouliez-vous dire `{close}` ? Clés connues ici : {known}"),
    ("remove `{field}` or use one of: {known}", "supprimez `{field}` ou utilisez l'une de : {known}"),
    ("this YAML repeats anchors (`&name`) through aliases (`*name`) so often that it would expand to a huge document: write the values out, or use fewer aliases", "ce YAML répète des ancres (`&nom`) par des alias (`*nom`) si souvent qu'il deviendrait énorme : écrivez les valeurs, ou utilisez moins d'alias"),
    ("this YAML nests lists or mappings more than 128 levels deep: flatten it", "ce YAML imbrique des listes ou des tableaux sur plus de 128 niveaux : aplatissez-le"),
    ("a quote `\"` or `'` opened on this line or above is never closed: close it at the end of the value", "un guillemet `\"` ou `'` ouvert sur cette ligne ou au-dessus n'est jamais fermé : fermez-le à la fin de la valeur"),
    ("a list written `[a, b]` must end with `]` on the same line", "une liste écrite `[a, b]` doit se terminer par `]` sur la même ligne"),
    ("a mapping written `{a: 1}` must end with `}`", "un tableau de clés écrit `{a: 1}` doit se terminer par `}`"),
    ("check the indentation of this line and of the one above: fields of one record line up under each other, list items start with `- `", "vérifiez le décalage de cette ligne et de celle du dessus : les champs d'une fiche sont alignés les uns sous les autres, les éléments de liste commencent par `- `"),
    ("a value starting with `@`, `` ` `` or `%` must be put in quotes", "une valeur qui commence par `@`, `` ` `` ou `%` doit être mise entre guillemets"),
    ("check the kind of value expected here (text, number, list or mapping)", "vérifiez le genre de valeur attendu ici (texte, nombre, liste ou tableau de clés)"),
    ("this YAML nests lists or mappings more than {levels} levels deep", "ce YAML imbrique des listes ou des tableaux sur plus de {levels} niveaux"),
    ("flatten it: no real content needs that many levels", "aplatissez-le : aucun contenu réel n'a besoin d'autant de niveaux"),
];
