import { useEffect, useRef, useState } from 'preact/hooks';
import { isObject, type Json, str } from './json.js';

/** The part of VChart's API the page uses (the UMD bundle puts it on `window.VChart`). */
interface VChartInstance {
  renderSync(): void;
  release(): void;
}
interface VChartModule {
  default: new (spec: unknown, options: { dom: HTMLElement; animation?: boolean }) => VChartInstance;
}
declare global {
  interface Window {
    VChart?: VChartModule;
  }
}

let loading: Promise<VChartModule> | undefined;

/** VChart's browser bundle, served from node_modules by the page's own server and loaded once. */
function loadVChart(): Promise<VChartModule> {
  loading ??= new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = '/vendor/vchart.js';
    script.onload = () => (window.VChart ? resolve(window.VChart) : reject(new Error('VChart missing')));
    script.onerror = () => reject(new Error('VChart failed to load'));
    document.head.append(script);
  });
  return loading;
}

const RATIOS: Record<string, string> = { '1:1': '1 / 1', '2:1': '2 / 1', '4:3': '4 / 3', '16:9': '16 / 9' };

/**
 * The chart component: Feishu draws `chart_spec` with VChart in a box of the given aspect ratio.
 * https://open.feishu.cn/document/uAjLw4CM/ukzMukzMukzM/feishu-cards/card-json-v2-components/content-components/chart
 */
export function Chart({ el }: { el: Json }) {
  const box = useRef<HTMLDivElement>(null);
  const [state, setState] = useState<'loading' | 'drawn' | 'failed'>('loading');
  const spec = isObject(el.chart_spec) ? el.chart_spec : undefined;
  useEffect(() => {
    let chart: VChartInstance | undefined;
    let cancelled = false;
    if (!spec || !box.current) return;
    const dom = box.current;
    loadVChart().then(
      (VChart) => {
        if (cancelled) return;
        // Screenshots and tests want the final picture, not an animation frame.
        chart = new VChart.default(spec, { dom, animation: false });
        chart.renderSync();
        setState('drawn');
      },
      () => setState('failed'),
    );
    return () => {
      cancelled = true;
      chart?.release();
    };
  }, [spec]);
  return (
    <div
      class="el chart"
      data-state={state}
      style={{ aspectRatio: RATIOS[str(el.aspect_ratio) ?? '16:9'] ?? '16 / 9' }}
    >
      <div class="chart-canvas" ref={box} />
      {state === 'failed' && <div class="placeholder">图表无法显示</div>}
    </div>
  );
}
