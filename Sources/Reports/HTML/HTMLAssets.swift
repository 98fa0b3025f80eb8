import Crypto
import Foundation

/// The page's one style sheet and one script, inlined (the page loads nothing), and the
/// Content-Security-Policy that allows exactly these two by their SHA-256 and nothing else: no
/// other script, style, image, font, frame or connection, so neither an injected element nor a
/// style attribute would take effect even if escaping ever failed.
enum HTMLAssets {
    static let policy = [
        "default-src 'none'",
        "style-src '\(hash(style))'",
        "script-src '\(hash(script))'",
        "base-uri 'none'",
        "form-action 'none'",
    ].joined(separator: "; ")

    private static func hash(_ source: StaticString) -> String {
        "sha256-" + Data(SHA256.hash(data: Array(source.description.utf8))).base64EncodedString()
    }

    // Custom properties are named with --_, so no report reads as if it named a flag.
    // Colours: each foreground on its background meets WCAG AA (4.5:1) in both schemes; status is
    // also written as a glyph and a word, never by colour alone.
    static let style: StaticString = """
    :root{color-scheme:light dark;--_bg:#fff;--_fg:#1b1f24;--_muted:#57606a;--_line:#d0d7de;--_panel:#f6f8fa;\
    --_pass:#116329;--_pass-bg:#dafbe1;--_fail:#a40e26;--_fail-bg:#ffebe9;--_warn:#7d4e00;--_warn-bg:#fff8c5;\
    --_other:#3b4350;--_other-bg:#eaeef2;--_info:#0a3069;--_info-bg:#ddf4ff}
    @media (prefers-color-scheme:dark){:root{--_bg:#0d1117;--_fg:#e6edf3;--_muted:#9da7b3;--_line:#30363d;--_panel:#161b22;\
    --_pass:#7ee787;--_pass-bg:#0f2a18;--_fail:#ffa198;--_fail-bg:#3a1115;--_warn:#f2cc60;--_warn-bg:#2e2410;\
    --_other:#c9d1d9;--_other-bg:#21262d;--_info:#a5d6ff;--_info-bg:#0c2d6b}}
    *{box-sizing:border-box}
    body{margin:0 auto;max-width:78rem;padding:1rem 1.5rem 3rem;background:var(--_bg);color:var(--_fg);\
    font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif}
    h1{font-size:1.6rem;margin:.3rem 0}h2{font-size:1.2rem;margin:1.4rem 0 .5rem}h3{font-size:1rem;margin:1rem 0 .3rem}
    code,pre,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.86em}
    pre{white-space:pre-wrap;overflow-wrap:anywhere;background:var(--_panel);padding:.5rem;border-radius:4px;margin:.3rem 0}
    table.findings td:last-child{min-width:7rem}
    table{border-collapse:collapse;width:100%;margin:.4rem 0}
    th,td{border:1px solid var(--_line);padding:.3rem .45rem;text-align:left;vertical-align:top;overflow-wrap:anywhere}
    th{background:var(--_panel)}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
    .meta{color:var(--_muted)}
    .verdict{display:inline-block;padding:.2rem .7rem;border-radius:6px}
    .s-pass{color:var(--_pass);background:var(--_pass-bg)}
    .s-fail,.s-error{color:var(--_fail);background:var(--_fail-bg)}
    .s-waived,.s-not-judged,.s-warn{color:var(--_warn);background:var(--_warn-bg)}
    .s-empty{color:var(--_other);background:var(--_other-bg)}
    .badge{display:inline-block;min-width:6.5rem;padding:0 .4rem;border-radius:4px;font-weight:600;font-size:.85rem}
    .note{border-left:4px solid var(--_warn);background:var(--_warn-bg);color:var(--_warn);padding:.4rem .6rem;margin:.4rem 0}
    #filters{display:flex;flex-wrap:wrap;gap:.6rem;align-items:end;background:var(--_panel);padding:.6rem;border-radius:6px;margin:1rem 0}
    #filters label{display:flex;flex-direction:column;font-size:.85rem;color:var(--_muted)}
    #filters select,#filters input{font:inherit;color:var(--_fg);background:var(--_bg);border:1px solid var(--_line);border-radius:4px;padding:.2rem}
    section.rule{border-top:2px solid var(--_line);margin-top:1.5rem}
    section.rule dl{display:grid;grid-template-columns:max-content 1fr;gap:.15rem .8rem;margin:.4rem 0}
    section.rule dt{color:var(--_muted)}section.rule dd{margin:0}
    ul.evidence{margin:0;padding-left:1.1rem}
    .kind{color:var(--_muted)}
    .scroll{overflow-x:auto}
    table.calendar{width:auto;font-size:.8rem}
    table.calendar th[scope=row]{white-space:nowrap;font-weight:400}
    table.calendar tr.group th{font-weight:600}
    table.calendar th.day{text-align:center;padding:.2rem}
    .cell{text-align:center;min-width:1.7rem;padding:.15rem .2rem;white-space:nowrap}
    .c-completed{color:var(--_pass);background:var(--_pass-bg)}
    .c-failed{color:var(--_fail);background:var(--_fail-bg);font-weight:700}
    .c-partial{color:var(--_warn);background:var(--_warn-bg)}
    .c-in-flight{color:var(--_info);background:var(--_info-bg)}
    .c-missing{color:var(--_fail);background:var(--_bg);outline:1px dashed var(--_fail);outline-offset:-3px}
    span.cell{display:inline-block;min-width:1.4rem;border-radius:3px}
    .cell:focus{outline:2px solid var(--_fg);outline-offset:-2px}
    [hidden]{display:none!important}
    a{color:inherit}
    @media print{body{max-width:none;font-size:11pt}#filters,#shown{display:none!important}\
    section.rule,#calendar{break-before:page;border-top:none}.scroll{overflow:visible}details{display:block}details>summary{list-style:none}\
    pre{background:none;border:1px solid var(--_line)}tr{break-inside:avoid}}
    """

    // Filters rules and findings in place. Without it the page shows everything and the form
    // stays hidden.
    static let script: StaticString = """
    (function(){
    var form=document.getElementById('filters');if(!form)return;
    var rules=Array.prototype.slice.call(document.querySelectorAll('section.rule'));
    var shown=document.getElementById('shown');
    function fill(name,attr){var seen={};var select=form.elements[name];
    document.querySelectorAll('tr.finding').forEach(function(row){var v=row.getAttribute(attr);if(v)seen[v]=1;});
    Object.keys(seen).sort().forEach(function(v){var o=document.createElement('option');o.value=v;o.textContent=v;select.appendChild(o);});}
    fill('account','data-account');fill('type','data-type');
    function apply(){
    var st=form.elements.status.value,sv=form.elements.severity.value,ac=form.elements.account.value,ty=form.elements.type.value;
    var tx=form.elements.text.value.trim().toLowerCase();var count=0;
    rules.forEach(function(rule){
    var head=rule.querySelector('header').textContent.toLowerCase();var headHit=tx!==''&&head.indexOf(tx)>=0;
    var any=false;
    rule.querySelectorAll('tr.finding').forEach(function(row){
    var ok=(!ac||row.getAttribute('data-account')===ac)&&(!ty||row.getAttribute('data-type')===ty)&&
    (!tx||headHit||row.textContent.toLowerCase().indexOf(tx)>=0);row.hidden=!ok;if(ok)any=true;});
    var ok=(!st||rule.getAttribute('data-status')===st)&&(!sv||rule.getAttribute('data-severity')===sv)&&
    (any||(!ac&&!ty&&(!tx||headHit)));
    rule.hidden=!ok;if(ok)count++;});
    shown.textContent=count+' of '+rules.length+' rules shown';}
    form.addEventListener('input',apply);form.addEventListener('change',apply);
    form.addEventListener('submit',function(e){e.preventDefault();});
    form.hidden=false;shown.hidden=false;apply();
    })();
    """
}
