import {
  afterNextRender,
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  effect,
  ElementRef,
  inject,
  input,
  signal,
} from '@angular/core';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, TooltipComponent } from 'echarts/components';
import { type ComposeOption, init, use, type ECharts } from 'echarts/core';
import type { BarSeriesOption, LineSeriesOption } from 'echarts/charts';
import type { GridComponentOption, TooltipComponentOption } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

// Only the pieces the dashboard draws are registered, which keeps ECharts to a fraction of its full size.
use([LineChart, BarChart, GridComponent, TooltipComponent, CanvasRenderer]);

export type ChartOption = ComposeOption<LineSeriesOption | BarSeriesOption | GridComponentOption | TooltipComponentOption>;

/** An ECharts canvas that follows its `option` input and its container's size. */
@Component({
  selector: 'sp-chart',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { class: 'chart', role: 'img', '[attr.aria-label]': 'label()' },
  template: '',
})
export class Chart {
  readonly option = input.required<ChartOption>();
  readonly label = input.required<string>();
  private readonly chart = signal<ECharts | null>(null);

  constructor() {
    const host = inject<ElementRef<HTMLElement>>(ElementRef).nativeElement;
    const destroyRef = inject(DestroyRef);
    afterNextRender(() => {
      const chart = init(host, undefined, { renderer: 'canvas' });
      const resize = new ResizeObserver(() => chart.resize());
      resize.observe(host);
      this.chart.set(chart);
      destroyRef.onDestroy(() => {
        resize.disconnect();
        chart.dispose();
      });
    });
    effect(() => {
      // lazyUpdate defers drawing to the next frame, so a burst of updates draws once.
      this.chart()?.setOption(this.option(), { lazyUpdate: true });
    });
  }
}
