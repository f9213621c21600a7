import { consoleApp } from './script.js';

/**
 * What GET /console serves: one HTML page, its stylesheet and its script, all static. The page holds no secret and no
 * data: the script reads everything from the admin plane, with the admin token when the server asks for one. Its links
 * are relative, and the script calls the admin plane beside the page, so `/123-ABC-456/console` manages that
 * subscription (issue 32).
 */

export const CONSOLE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>fake-marketo: admin console</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="console/console.css">
<script src="console/console.js" defer></script>
</head>
<body>
<header>
<h1>fake-marketo <span>Admin</span></h1>
<nav id="nav" aria-label="Screens"></nav>
</header>
<div id="messages" aria-live="polite"></div>
<main id="screen" aria-busy="true"><noscript>The console needs JavaScript.</noscript></main>
<footer>Every screen is made of calls to the admin plane (<a href="/docs">Swagger UI</a> lists them).</footer>
</body>
</html>
`;

// The script as its own source. A transpiler that keeps function names (tsx, under `npm run dev`) wraps them in
// `__name(…)`: the page defines it as the identity.
export const CONSOLE_SCRIPT = `"use strict";
var __name = function (target) { return target; };
(${consoleApp.toString()})();
`;

export const CONSOLE_CSS = `
:root { --ink: #1d2733; --muted: #5b6675; --line: #d7dde4; --accent: #5a54a4; --bad: #b3261e; --good: #1e7b34; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, sans-serif; color: var(--ink); background: #f5f7fa; }
header { display: flex; align-items: center; gap: 24px; padding: 10px 20px; background: #fff; border-bottom: 1px solid var(--line); }
h1 { font-size: 17px; margin: 0; } h1 span { color: var(--accent); }
nav { display: flex; gap: 4px; flex-wrap: wrap; }
nav a { padding: 6px 10px; border-radius: 4px; color: var(--ink); text-decoration: none; }
nav a.current { background: var(--accent); color: #fff; }
main { padding: 8px 20px 20px; }
footer { padding: 8px 20px; color: var(--muted); font-size: 12px; }
#messages { padding: 0 20px; }
.notice, .error { margin: 8px 0 0; padding: 8px 12px; border-radius: 4px; }
.notice { background: #e8f3ea; color: var(--good); }
.error { background: #fbeaea; color: var(--bad); } .error p, .error ul { margin: 0; }
table { border-collapse: collapse; width: 100%; background: #fff; margin: 10px 0; }
th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-weight: 600; color: var(--muted); }
td ul { margin: 0; padding-left: 16px; }
button { font: inherit; padding: 4px 10px; margin: 2px 4px 2px 0; border: 1px solid var(--line); border-radius: 4px;
  background: #fff; cursor: pointer; }
button[type=submit], #new-role, #new-user, #new-service, #new-workspace, #lp-create-role { background: var(--accent);
  color: #fff; border-color: var(--accent); }
button.danger { color: var(--bad); }
.actions { white-space: nowrap; } .actions a { margin-right: 6px; }
form, .panel { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 12px 16px; margin: 10px 0; }
form.filters, div.filters { display: flex; gap: 12px; align-items: end; flex-wrap: wrap; }
.field { display: block; margin: 6px 0; } .field span { display: block; color: var(--muted); font-size: 12px; }
.field input, .field select { font: inherit; padding: 4px 6px; min-width: 260px; }
.filters .field input, .filters .field select { min-width: 120px; }
.check { display: block; margin: 6px 0; }
fieldset { border: 1px solid var(--line); border-radius: 4px; margin: 8px 0; }
.tree ul, ul.tree { list-style: none; padding-left: 18px; margin: 4px 0; columns: 2; }
small, .muted { color: var(--muted); }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 0; }
dt { color: var(--muted); } dd { margin: 0; }
code { font: 13px ui-monospace, monospace; background: #eef1f5; padding: 1px 4px; border-radius: 3px; word-break: break-all; }
pre { background: #eef1f5; padding: 10px; border-radius: 4px; overflow: auto; }
.allowed { color: var(--good); } .denied { color: var(--bad); }
`;
