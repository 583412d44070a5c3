// The widget manager of the lite front end: ipywidgets' own base manager, the ipywidgets 8 controls
// and a small Output widget, talking to the page's kernel through @jupyterlab/services.
import * as base from '@jupyter-widgets/base';
import { ManagerBase } from '@jupyter-widgets/base-manager';
import * as controls from '@jupyter-widgets/controls';
import type { Kernel, KernelMessage } from '@jupyterlab/services';

import * as output from './output';

type WidgetClass = typeof base.WidgetModel | typeof base.WidgetView;

/** The widget modules a page may ask for, by the name the kernel gives (``_model_module``). */
const MODULES: Record<string, Record<string, unknown>> = {
  '@jupyter-widgets/base': base,
  '@jupyter-widgets/controls': controls,
  '@jupyter-widgets/output': output
};

export class LiteManager extends ManagerBase {
  readonly kernel: Kernel.IKernelConnection;

  constructor(kernel: Kernel.IKernelConnection) {
    super();
    this.kernel = kernel;
    // Widgets the kernel creates from now on (a button's click that makes a new one).
    kernel.registerCommTarget(
      this.comm_target_name,
      async (comm: Kernel.IComm, msg: KernelMessage.ICommOpenMsg) => {
        await this.handle_comm_open(new base.shims.services.Comm(comm), msg);
      }
    );
  }

  /** Every widget the kernel holds (the notebook ran before the page came): through the
   *  "jupyter.widget.control" comm in one message, else one comm_info request and a state
   *  request per widget (ManagerBase does both). */
  restore(): Promise<void> {
    return this._loadFromKernel();
  }

  protected async loadClass(
    className: string,
    moduleName: string,
    moduleVersion: string
  ): Promise<WidgetClass> {
    const module = MODULES[moduleName];
    const found = module && (module[className] as WidgetClass | undefined);
    if (!found) {
      throw new Error(`Widget ${moduleName} ${moduleVersion} ${className} is not in this page's front end`);
    }
    return found;
  }

  protected async _create_comm(
    targetName: string,
    modelId?: string,
    data?: any,
    metadata?: any,
    buffers?: ArrayBuffer[] | ArrayBufferView[]
  ): Promise<base.IClassicComm> {
    const comm = this.kernel.createComm(targetName, modelId);
    if (data || metadata) {
      comm.open(data, metadata, buffers);
    }
    return new base.shims.services.Comm(comm);
  }

  protected async _get_comm_info(): Promise<any> {
    const reply = await this.kernel.requestCommInfo({ target_name: this.comm_target_name });
    return reply.content.status === 'ok' ? (reply.content as any).comms : {};
  }
}
