/** The status page's own layout, on top of the shared design tokens (shared/design/tokens.ts). */
export const STATUS_PAGE_STYLE = `
main{max-width:60rem;margin:0 auto;padding:var(--sp-5) var(--sp-4) var(--sp-5)}
header.top{display:flex;flex-wrap:wrap;justify-content:space-between;align-items:baseline;gap:var(--sp-2)}
.langs{display:flex;gap:var(--sp-2);font-size:var(--fs-s)}.langs [aria-current]{font-weight:600}.zone{font-size:var(--fs-s);font-weight:400}
h1{margin:0;font-size:var(--fs-xl)}
h2{margin:var(--sp-5) 0 var(--sp-2);font-size:var(--fs-l)}
h3{margin:0;font-size:var(--fs-m)}
.banner{display:flex;align-items:center;gap:var(--sp-3);margin:var(--sp-4) 0;padding:var(--sp-4);border-radius:var(--radius);border:1px solid var(--line);border-left-width:6px;font-size:var(--fs-l);font-weight:600}
.banner .dot{width:14px;height:14px;flex:none}
.banner.ok{background:var(--ok-bg);color:var(--ok-fg);border-color:var(--ok)}.banner.warn{background:var(--warn-bg);color:var(--warn-fg);border-color:var(--warn)}
.banner.bad{background:var(--bad-bg);color:var(--bad-fg);border-color:var(--bad)}.banner.info{background:var(--info-bg);color:var(--info-fg);border-color:var(--info)}
.banner.muted{background:var(--muted-bg);color:var(--muted-fg);border-color:var(--muted)}
.region-head{display:flex;align-items:baseline;gap:var(--sp-2)}.region-head .count{color:var(--muted);font-size:var(--fs-s)}
ul.stores{list-style:none;margin:0;padding:0;border:1px solid var(--line);border-radius:var(--radius);background:var(--surface)}
li.store{display:grid;grid-template-columns:minmax(0,1fr) auto 7.5rem;align-items:center;gap:var(--sp-1) var(--sp-4);padding:var(--sp-3) var(--sp-4)}
li.store+li.store{border-top:1px solid var(--line)}
li.store h3{overflow-wrap:anywhere}
li.store .pill{justify-self:end;min-width:7.5rem}
dl.uptime{display:flex;gap:var(--sp-4);margin:0;font-size:var(--fs-s)}
p.uptime.none{margin:0;color:var(--muted);font-size:var(--fs-s)}
dl.uptime div{display:flex;gap:var(--sp-1)}dl.uptime dt{color:var(--muted)}dl.uptime dd{margin:0;font-weight:600}
.history{grid-column:1/-1}
ol.bar{display:flex;gap:2px;list-style:none;padding:0;margin:var(--sp-1) 0 0;height:28px}
ol.bar li{flex:1;border-radius:2px}.g{background:var(--ok)}.w{background:var(--warn)}.b{background:var(--bad)}.n{background:var(--line)}
ol.bar li:hover{outline:2px solid var(--fg)}
.axis{display:flex;justify-content:space-between;color:var(--muted);font-size:var(--fs-s)}
.dot.ok{color:var(--ok)}.dot.warn{color:var(--warn)}.dot.bad{color:var(--bad)}.dot.info{color:var(--info)}.dot.muted{color:var(--muted)}
.day{margin:0 0 var(--sp-3)}.day h3{color:var(--muted);font-size:var(--fs-s);text-transform:uppercase;letter-spacing:.04em;margin-bottom:var(--sp-1)}
ul.incidents{list-style:none;margin:0;padding:0;border:1px solid var(--line);border-radius:var(--radius);background:var(--surface)}
ul.incidents>li{padding:var(--sp-2) var(--sp-4)}ul.incidents>li+li{border-top:1px solid var(--line)}
ul.incidents ul{list-style:none;margin:var(--sp-1) 0 0;padding:0}
ul.incidents ul li{display:flex;gap:var(--sp-2);align-items:baseline;font-size:var(--fs-s)}
ul.incidents .dot{flex:none;position:relative;top:-1px}
.none{color:var(--muted)}
table{width:100%;border-collapse:collapse;background:var(--surface);border:1px solid var(--line);border-radius:var(--radius)}
th,td{text-align:left;padding:var(--sp-2) var(--sp-3);border-bottom:1px solid var(--line)}td{white-space:nowrap;font-variant-numeric:tabular-nums}
td .pill{min-width:6.5rem}
a.more{font-size:var(--fs-s);font-weight:normal}
footer{margin-top:var(--sp-5);color:var(--muted);font-size:var(--fs-s)}
.axis .short{display:none}
@media (max-width:40rem){
main{padding:var(--sp-3)}
li.store{grid-template-columns:minmax(0,1fr) auto;padding:var(--sp-3)}
li.store .pill{min-width:6.5rem}
dl.uptime,p.uptime.none{grid-column:1/-1;order:3}
dl.uptime{justify-content:space-between;gap:var(--sp-2)}
dl.uptime div{flex-direction:column;gap:0}
.history{order:4}
ol.bar li:nth-last-child(n+31){display:none}
.axis .long{display:none}.axis .short{display:inline}
th,td{padding:var(--sp-2)}
th:nth-child(4),td:nth-child(4){display:none}
}
`;
