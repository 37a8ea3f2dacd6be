/**
 * The console's one style sheet, served as /console/assets/console-<hash>.css with a long cache.
 * Kept in a TypeScript module so the build (tsc → dist/, all the Docker image copies) carries it.
 * Colours meet WCAG AA contrast on white (text #1b1f23, links and buttons #0b4f71: 8.9:1).
 */
export const CSS = `
:root{--ink:#1b1f23;--muted:#4b5563;--line:#c9d1d9;--bg:#f6f8fa;--brand:#0b4f71;--ok:#1d6b3a;--bad:#a4161a;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink)}
*{box-sizing:border-box}
body{margin:0;background:#fff}
a{color:var(--brand)}
:focus-visible{outline:3px solid #f59e0b;outline-offset:2px}
.skip{position:absolute;left:-999px}.skip:focus{left:8px;top:8px;background:#fff;padding:8px;z-index:9}
header{background:var(--brand);color:#fff;padding:.5rem 1rem}
header a{color:#fff}
header .top{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;justify-content:space-between}
header form{margin:0}
nav ul{list-style:none;margin:.25rem 0 0;padding:0;display:flex;flex-wrap:wrap;gap:.25rem 1rem}
nav a{display:inline-block;padding:.35rem 0;text-decoration:none;font-weight:600}
nav a[aria-current=page]{text-decoration:underline;text-underline-offset:6px}
main{max-width:70rem;margin:0 auto;padding:1rem}
h1{font-size:1.5rem;margin:.5rem 0 1rem}h2{font-size:1.2rem;margin:1.5rem 0 .5rem}
label{display:block;font-weight:600;margin:.75rem 0 .25rem}
input,select,textarea,button{font:inherit;color:inherit}
input[type=text],input[type=tel],input[type=password],input[type=datetime-local],input[type=date],input[type=time],input[type=number],select,textarea{width:100%;max-width:32rem;padding:.5rem;border:1px solid #6b7280;border-radius:6px;background:#fff}
textarea{min-height:7rem;max-width:none}
button,.button{display:inline-block;background:var(--brand);color:#fff;border:0;border-radius:6px;padding:.6rem 1rem;font-weight:600;cursor:pointer;text-decoration:none;margin-top:.75rem}
button.link{background:none;color:inherit;text-decoration:underline;padding:0;margin:0;font-weight:400}
button.danger{background:var(--bad)}
button.quiet{background:#e5e7eb;color:var(--ink)}
fieldset{border:1px solid var(--line);border-radius:8px;margin:1rem 0;padding:.5rem 1rem 1rem}
legend{font-weight:700;padding:0 .25rem}
.choice{display:flex;gap:.5rem;align-items:center;font-weight:400;margin:.4rem 0}
.hint{color:var(--muted);font-size:.9rem;margin:.25rem 0}
.card{border:1px solid var(--line);border-radius:8px;padding:1rem;margin:1rem 0;background:#fff}
.card>:first-child{margin-top:0}
.note{background:var(--bg);border-left:4px solid var(--brand);padding:.5rem 1rem;margin:1rem 0}
.error{background:#fdecea;border-left:4px solid var(--bad);padding:.5rem 1rem;margin:1rem 0}
.ok{background:#e8f5ec;border-left:4px solid var(--ok);padding:.5rem 1rem;margin:1rem 0}
.code{font:700 clamp(2.2rem,12vw,4rem)/1.1 ui-monospace,Menlo,Consolas,monospace;letter-spacing:.15em;margin:.25rem 0;word-break:break-all}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:.95rem}
th,td{text-align:left;padding:.4rem .5rem;border-bottom:1px solid var(--line);vertical-align:top}
th{background:var(--bg)}
.sub{display:block;color:var(--muted);font-size:.85rem}
td form,td button{margin:0}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
.grid{display:grid;gap:1rem;grid-template-columns:repeat(auto-fit,minmax(16rem,1fr))}
.row{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:baseline}
.count{display:block;font-size:.9rem;color:var(--muted);min-height:1.5em}
.count.over{color:var(--bad);font-weight:600}
.chart{max-width:40rem;display:block}
.chart text{font-size:12px;fill:var(--ink)}
.chart .t{fill:#e3e8ee}.chart .b{fill:var(--brand)}
.head{display:flex;flex-wrap:wrap;gap:.25rem 1rem;align-items:baseline;justify-content:space-between}
.strip{display:flex;flex-wrap:wrap;gap:2px;list-style:none;margin:0;padding:0}
.strip li{width:12px;height:12px;border:1px solid var(--brand);border-radius:2px}
.strip li.d{background:var(--brand)}
.chat{list-style:none;padding:0;margin:0;display:flex;flex-direction:column;gap:.5rem;max-height:60vh;overflow-y:auto}
.chat li{max-width:85%;padding:.5rem .75rem;border-radius:10px}
.chat p{margin:0;white-space:pre-wrap;overflow-wrap:anywhere}
.chat .me{align-self:flex-end;background:#dcf3e4}
.chat .bot{align-self:flex-start;background:var(--bg);border:1px solid var(--line)}
.chat small{display:block;color:var(--muted)}
.when-at,.when-weekly{margin-left:1.5rem}
fieldset:has(#when-now:checked) .when-at,fieldset:has(#when-now:checked) .when-weekly,fieldset:has(#when-at:checked) .when-weekly,fieldset:has(#when-weekly:checked) .when-at{display:none}
dl.facts{display:grid;grid-template-columns:auto 1fr;gap:.25rem 1rem;margin:0 0 1rem}dl.facts dt{font-weight:600}dl.facts dd{margin:0}
dl.counts{display:grid;grid-template-columns:repeat(auto-fit,minmax(7rem,1fr));gap:.5rem;margin:0}
dl.counts div{background:var(--bg);border-radius:8px;padding:.5rem}
dl.counts dt{font-size:.85rem;color:var(--muted)}dl.counts dd{margin:0;font-size:1.5rem;font-weight:700}
@media (max-width:30rem){main{padding:.75rem}h1{font-size:1.3rem}}
`;
