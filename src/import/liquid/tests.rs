//! The converter on the constructs the imported sites use.

use super::*;

fn env() -> Env {
    Env {
        data_maps: ["defis".to_string()].into(),
        site_extra: ["email".to_string()].into(),
        baseurl: String::new(),
        collection_data: [("members".to_string(), "members-documents".to_string())].into(),
        ..Env::default()
    }
}

#[test]
fn converts_common_constructs() {
    let cases = [
        ("{{ site.title }}", "{{ site.title | verbatim }}"),
        (
            "{% for m in site.members %}{{ m.name }}{% endfor %}",
            "{% for m in data[\"members-documents\"] | default(value=[], boolean=true) %}{{ m?.name | verbatim }}{% endfor %}",
        ),
        ("{{ page.section_id }}", "{{ page?.section_id | verbatim }}"),
        (
            "{{ site.email | upcase }}",
            "{{ (site.extra[\"email\"] | default(value=\"\")) | upper | verbatim }}",
        ),
        (
            "{% assign x = 'a' %}{{ x }}",
            "{% set x = \"a\" %}{{ x | verbatim }}",
        ),
        (
            "{% for d in site.data.defis %}{{ d[1].title }}{% endfor %}",
            "{% for d in data.defis | pairs | default(value=[], boolean=true) %}{{ d?[1]?.title | verbatim }}{% endfor %}",
        ),
        ("{% if a == 1 %}", "{% raw %}{% if a == 1 %}{% endraw %}"),
        (
            "{% if page.x == 'y' and page.z %}A{% elsif page.w %}B{% else %}C{% endif %}",
            "{% if page?.x == \"y\" and (page?.z) %}A{% elif page?.w %}B{% else %}C{% endif %}",
        ),
        (
            "{% unless page.x %}A{% endunless %}",
            "{% if not (page?.x) %}A{% endif %}",
        ),
        (
            "{% capture c %}hi{% endcapture %}{{ c }}",
            "{% set c %}hi{% endset %}{{ c | verbatim }}",
        ),
        (
            "{% include a.html %}",
            "{% raw %}{% include a.html %}{% endraw %}",
        ),
        (
            "{% raw %}{{ x }}{% endraw %}",
            "{% raw %}{{ x }}{% endraw %}",
        ),
        ("a {# b", "a {{ \"{#\" }} b"),
        (
            "{% for x in page.list limit: 2 %}{{ forloop.index }}{% endfor %}",
            "{% for x in (page?.list | default(value=[], boolean=true))[:2] %}{{ loop.index | verbatim }}{% endfor %}",
        ),
        (
            "{{ page.tags | join: ', ' }}",
            "{{ ((page.tags | plain_tags) | default(value=[])) | join(sep=\", \") | verbatim }}",
        ),
        (
            "{% for p in paginator.posts %}{{ p.title }}{% endfor %}",
            "{% for p in paginator.items | default(value=[], boolean=true) %}{{ p?.title | verbatim }}{% endfor %}",
        ),
    ];
    for (liquid, tera) in cases {
        assert_eq!(
            convert(liquid, Mode::Tera, &env(), 1).text,
            tera,
            "{liquid}"
        );
    }
}

#[test]
fn unconverted_constructs_are_listed_with_their_line() {
    let out = convert(
        "a\n{% include x.html %}\n{{ site.nope }}\n",
        Mode::Tera,
        &env(),
        5,
    );
    let lines: Vec<usize> = out.unconverted.iter().map(|u| u.line).collect();
    assert_eq!(lines, vec![6, 7]);
}

#[test]
fn markdown_mode_converts_highlight_and_keeps_the_rest() {
    let out = convert(
        "{% highlight python %}\nx = 1\n{% endhighlight %}\n{{ site.title }}\n",
        Mode::Markdown,
        &env(),
        1,
    );
    assert_eq!(out.text, "```python\nx = 1\n```\n{{ site.title }}\n");
    assert_eq!(out.unconverted.len(), 1);
    assert!(!out.uses_tera);
}

#[test]
fn tags_inside_an_unconverted_loop_stay_too() {
    let out = convert(
        "{% for p in site.nope %}{{ p.title }}{% endfor %}",
        Mode::Tera,
        &env(),
        1,
    );
    assert_eq!(out.unconverted.len(), 3);
    assert_eq!(out.converted, 0);
}
