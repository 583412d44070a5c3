// ipywidgets' Output widget without JupyterLab's output area: it shows HTML, plain text, images and
// widgets, which is all the app's tools display. While the kernel runs code inside ``with out:``
// (its ``msg_id`` is set), the outputs that code sends are captured here and synced back, as
// JupyterLab's Output widget does.
import { DOMWidgetModel, DOMWidgetView, WidgetModel } from '@jupyter-widgets/base';
import type { Kernel, KernelMessage } from '@jupyterlab/services';

export const OUTPUT_VERSION = '1.0.0';
export const WIDGET_VIEW = 'application/vnd.jupyter.widget-view+json';

export type Output = {
  output_type: string;
  data?: Record<string, unknown>;
  text?: string | string[];
  name?: string;
  metadata?: Record<string, unknown>;
};

function asText(value: unknown): string {
  return Array.isArray(value) ? value.join('') : String(value ?? '');
}

/** One output (a display or a stream) as DOM, into ``host``. A widget view becomes a widget via
 *  ``showWidget``; HTML is the kernel's own (trusted, as Voila treats it); anything else is text. */
export async function renderOutput(
  host: HTMLElement,
  out: Output,
  showWidget: (modelId: string, host: HTMLElement) => Promise<void>
): Promise<void> {
  if (out.output_type === 'stream') {
    // stderr is the kernel's business: the page shows it nowhere (the template shows a plain error message).
    if (out.name === 'stdout') {
      const pre = document.createElement('pre');
      pre.textContent = asText(out.text);
      host.appendChild(pre);
    }
    return;
  }
  if (out.output_type === 'error') {
    return;
  }
  const data = out.data || {};
  const view = data[WIDGET_VIEW] as { model_id?: string } | undefined;
  if (view && view.model_id) {
    await showWidget(view.model_id, host);
  } else if ('text/html' in data) {
    const div = document.createElement('div');
    div.className = 'jp-RenderedHTMLCommon jp-RenderedHTML';
    div.innerHTML = asText(data['text/html']);
    host.appendChild(div);
  } else if ('image/svg+xml' in data) {
    const div = document.createElement('div');
    div.innerHTML = asText(data['image/svg+xml']);
    host.appendChild(div);
  } else if ('image/png' in data || 'image/jpeg' in data) {
    const type = 'image/png' in data ? 'image/png' : 'image/jpeg';
    const img = document.createElement('img');
    img.src = `data:${type};base64,${asText(data[type]).replace(/\n/g, '')}`;
    img.alt = asText(data['text/plain']);
    host.appendChild(img);
  } else if ('text/plain' in data) {
    const pre = document.createElement('pre');
    pre.textContent = asText(data['text/plain']);
    host.appendChild(pre);
  }
}

export class OutputModel extends DOMWidgetModel {
  defaults(): Backbone.ObjectHash {
    return {
      ...super.defaults(),
      _model_name: 'OutputModel',
      _model_module: '@jupyter-widgets/output',
      _model_module_version: OUTPUT_VERSION,
      _view_name: 'OutputView',
      _view_module: '@jupyter-widgets/output',
      _view_module_version: OUTPUT_VERSION,
      msg_id: '',
      outputs: []
    };
  }

  initialize(attributes: Backbone.ObjectHash, options: any): void {
    super.initialize(attributes, options);
    this.on('change:msg_id', this._capture, this);
    this._capture();
  }

  private _kernel(): Kernel.IKernelConnection | null {
    return (this.widget_manager as any).kernel || null;
  }

  private _capture(): void {
    const kernel = this._kernel();
    if (!kernel) {
      return;
    }
    if (this._hooked) {
      kernel.removeMessageHook(this._hooked, this._hook);
      this._hooked = '';
    }
    const msgId: string = this.get('msg_id');
    if (msgId) {
      kernel.registerMessageHook(msgId, this._hook);
      this._hooked = msgId;
    }
  }

  private _hook = (msg: KernelMessage.IIOPubMessage): boolean => {
    const type = msg.header.msg_type;
    const content = msg.content as any;
    let outputs: Output[] = this.get('outputs').slice();
    if (type === 'clear_output') {
      if (content.wait) {
        this._clearNext = true;
      } else {
        outputs = [];
      }
    } else if (['stream', 'display_data', 'execute_result', 'error'].includes(type)) {
      if (this._clearNext) {
        outputs = [];
        this._clearNext = false;
      }
      const out: Output = { output_type: type, ...content };
      const last = outputs[outputs.length - 1];
      if (type === 'stream' && last && last.output_type === 'stream' && last.name === content.name) {
        outputs[outputs.length - 1] = { ...last, text: asText(last.text) + asText(content.text) };
      } else {
        outputs.push(out);
      }
    } else {
      return true; // not an output: let the kernel connection handle it
    }
    this.set('outputs', outputs);
    this.save_changes();
    return false; // captured: it goes nowhere else
  };

  private _hooked = '';
  private _clearNext = false;
}

export class OutputView extends DOMWidgetView {
  render(): void {
    this.el.classList.add('jupyter-widgets', 'widget-output', 'jupyter-widget-output');
    this.listenTo(this.model, 'change:outputs', this._draw);
    this._draw();
  }

  private async _draw(): Promise<void> {
    const draw = ++this._draws;
    for (const child of this._children) {
      child.remove();
    }
    this._children = [];
    const area = document.createElement('div');
    area.className = 'jp-OutputArea';
    this.el.replaceChildren(area);
    for (const out of this.model.get('outputs') as Output[]) {
      const host = document.createElement('div');
      host.className = 'jp-OutputArea-output';
      area.appendChild(host);
      await renderOutput(host, out, async (modelId, into) => {
        const model = (await this.model.widget_manager.get_model(modelId)) as WidgetModel;
        const view = await this.create_child_view(model);
        if (draw !== this._draws) {
          view.remove();
          return;
        }
        this._children.push(view);
        into.appendChild(view.el);
        view.trigger('displayed');
      });
    }
  }

  private _draws = 0;
  private _children: DOMWidgetView[] = [];
}
