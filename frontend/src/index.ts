// The app's lite front end for tool pages, in place of Voila's voila.js: it reads the page's config,
// connects to the page's kernel, and draws each widget where Voila left its output (a
// <script type="application/vnd.voila.cell-output+json">), as Voila's front end would.
// Then, as Voila does, it asks the server to shut the kernel down when the visitor leaves.
import { Widget as LuminoWidget } from '@lumino/widgets';
import { CommsOverSubshells } from '@jupyterlab/services/lib/kernel/comm';
import { KernelConnection } from '@jupyterlab/services/lib/kernel/default';
import { ServerConnection } from '@jupyterlab/services/lib/serverconnection';

import { LiteManager } from './manager';
import { Output, renderOutput } from './output';
import './lite.css';

const PENDING = 'script[type="application/vnd.voila.cell-output+json"]';

type PageConfig = { baseUrl?: string; wsUrl?: string; kernelId?: string; token?: string };

function pageConfig(): PageConfig {
  const node = document.getElementById('jupyter-config-data');
  return node ? JSON.parse(node.textContent || '{}') : {};
}

/** A WebSocket made from whatever ``window.WebSocket`` is when the socket opens (a reconnect too),
 *  not a reference taken at load: the app's template wraps it to show "connection lost". */
function LiveWebSocket(url: string | URL, protocols?: string | string[]): WebSocket {
  const Current = window.WebSocket;
  return protocols === undefined ? new Current(url) : new Current(url, protocols);
}
Object.assign(LiveWebSocket, { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 });

function xsrfToken(): string {
  const matches = document.cookie.match('\\b_xsrf=([^;]*)\\b');
  return (matches && matches[1]) || '';
}

/** Voila's page exit (its widgets-manager8 plugin), on "beforeunload" as there: a beacon to
 *  /voila/api/shutdown/<kernel> with the XSRF token, then the connection closed. A tab that goes without
 *  it (a crash; a phone's browser that skips "beforeunload") leaves its kernel to the server's idle culler.
 *  Not on "pagehide": that also fires when a tab is discarded, which the culler test stands for. */
function shutDownOnLeaving(baseUrl: string, kernel: KernelConnection): void {
  window.addEventListener('beforeunload', () => {
    const data = new FormData();
    data.append('_xsrf', xsrfToken());
    navigator.sendBeacon(`${baseUrl}voila/api/shutdown/${kernel.id}`, data);
    kernel.dispose();
  });
}

async function showWidget(manager: LiteManager, restored: Promise<void>, modelId: string, host: HTMLElement) {
  await restored;
  const model = await manager.get_model(modelId);
  const view = await manager.create_view(model);
  LuminoWidget.attach(view.luminoWidget, host);
}

/** Each output Voila left in the page, drawn in its place; its script goes once it is drawn (or failed). */
async function drawOutputs(manager: LiteManager, restored: Promise<void>): Promise<void> {
  const pending = Array.from(document.querySelectorAll<HTMLScriptElement>(PENDING));
  await Promise.all(
    pending.map(async (script) => {
      const host = document.createElement('div');
      host.className = 'jp-OutputArea-output';
      script.parentElement?.insertBefore(host, script);
      try {
        const out = JSON.parse(script.textContent || '{}') as Output;
        await renderOutput(host, out, (modelId, into) => showWidget(manager, restored, modelId, into));
      } catch (error) {
        console.error('Could not show an output of this page', error);
      } finally {
        script.remove();
      }
    })
  );
}

function start(): void {
  const config = pageConfig();
  if (!config.kernelId) {
    return;
  }
  const baseUrl = config.baseUrl || '/';
  const serverSettings = ServerConnection.makeSettings({
    baseUrl,
    ...(config.wsUrl ? { wsUrl: config.wsUrl } : {}),
    WebSocket: LiveWebSocket as unknown as typeof WebSocket
  });
  // The page's kernel is known (Voila started it for this page): no request for its model first.
  // Comms on the kernel's main shell, as Voila's front end does: the server's websocket refuses the
  // subshell requests @jupyterlab/services 7.6 would otherwise send to an ipykernel 7.
  const kernel = new KernelConnection({
    model: { id: config.kernelId, name: 'python3' },
    serverSettings,
    commsOverSubshells: CommsOverSubshells.Disabled
  });
  const manager = new LiteManager(kernel);
  shutDownOnLeaving(baseUrl, kernel);
  const restored = manager.restore();
  restored.catch((error) => console.error('Could not load the widgets from the kernel', error));
  void drawOutputs(manager, restored);
}

start();
