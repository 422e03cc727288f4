/**
 * Pan (drag) and zoom (wheel, keys, buttons) by transforming the element that holds the SVG.
 * The view is plain data so the panel can keep it across re-renders (`vscode.setState`).
 */

export interface View {
  readonly x: number;
  readonly y: number;
  readonly k: number;
}

const MIN_ZOOM = 0.05;
const MAX_ZOOM = 8;
/** Pointer travel (px) before a press becomes a drag; shorter presses stay clicks. */
const DRAG_THRESHOLD = 4;
const FIT_MARGIN = 16;

export class PanZoom {
  private view: View = { x: 0, y: 0, k: 1 };
  private press: { id: number; x: number; y: number; view: View; dragging: boolean } | undefined;
  private suppressClick = false;
  /** What F and 0 do; by default a fit of the whole drawing. */
  onFitKey: () => void = () => this.fit();

  constructor(
    private readonly viewport: HTMLElement,
    private readonly canvas: HTMLElement,
    /** Size of what is drawn, in unscaled px. */
    private readonly contentSize: () => { width: number; height: number } | undefined,
    /** Every change of the view; `byUser` when it came from the user (drag, wheel, keys, zoom buttons), not from a fit. */
    private readonly onChange: (view: View, byUser: boolean) => void = () => undefined,
  ) {
    canvas.style.transformOrigin = '0 0';
    viewport.addEventListener('wheel', (event) => this.onWheel(event), { passive: false });
    viewport.addEventListener('pointerdown', (event) => this.onPointerDown(event));
    viewport.addEventListener('pointermove', (event) => this.onPointerMove(event));
    viewport.addEventListener('pointerup', (event) => this.onPointerUp(event));
    viewport.addEventListener('pointercancel', (event) => this.onPointerUp(event));
    // A drag that ends over a node must not also click it.
    viewport.addEventListener('click', (event) => this.onClickCapture(event), true);
    viewport.addEventListener('keydown', (event) => this.onKey(event));
  }

  set(view: View, byUser = false): void {
    const k = clamp(view.k, MIN_ZOOM, MAX_ZOOM);
    this.view = { x: finite(view.x), y: finite(view.y), k: Number.isFinite(k) ? k : 1 };
    this.canvas.style.transform = `translate(${this.view.x}px, ${this.view.y}px) scale(${this.view.k})`;
    this.onChange(this.view, byUser);
  }

  get current(): View {
    return this.view;
  }

  /** The scale at which the whole drawing fits the viewport (at most 1), or undefined before layout. */
  fitScale(): number | undefined {
    const size = this.contentSize();
    const width = this.viewport.clientWidth;
    const height = this.viewport.clientHeight;
    if (!size || size.width <= 0 || size.height <= 0 || width <= 0 || height <= 0) return undefined;
    return clamp(Math.min((width - 2 * FIT_MARGIN) / size.width, (height - 2 * FIT_MARGIN) / size.height, 1), MIN_ZOOM, MAX_ZOOM);
  }

  /**
   * Shows a region of the drawing (unscaled px) at the largest scale between `minScale` and 1
   * that fits it, centred; a region too large even at `minScale` is shown from its top-left corner.
   */
  focus(region: { x: number; y: number; width: number; height: number }, minScale: number): void {
    const width = this.viewport.clientWidth;
    const height = this.viewport.clientHeight;
    if (width <= 0 || height <= 0) return;
    const fitted = Math.min((width - 2 * FIT_MARGIN) / Math.max(region.width, 1), (height - 2 * FIT_MARGIN) / Math.max(region.height, 1), 1);
    const k = clamp(Math.max(fitted, minScale), MIN_ZOOM, MAX_ZOOM);
    const place = (room: number, start: number, length: number) => (length * k <= room - 2 * FIT_MARGIN ? (room - length * k) / 2 - start * k : FIT_MARGIN - start * k);
    this.set({ x: place(width, region.x, region.width), y: place(height, region.y, region.height), k });
  }

  /**
   * Scales the drawing to fit the viewport (never above 100 %) and centres it. With `minScale`,
   * a drawing that would have to shrink below it is shown at that scale from its top-left
   * corner instead (where the routes start), so a large graph opens readable.
   */
  fit(minScale = MIN_ZOOM): void {
    const size = this.contentSize();
    const width = this.viewport.clientWidth;
    const height = this.viewport.clientHeight;
    if (!size || size.width <= 0 || size.height <= 0 || width <= 0 || height <= 0) return;
    const k = clamp(Math.max(this.fitScale() ?? 1, minScale), MIN_ZOOM, MAX_ZOOM);
    const centred = (room: number, length: number) => (length * k <= room - 2 * FIT_MARGIN ? (room - length * k) / 2 : FIT_MARGIN);
    this.set({ x: centred(width, size.width), y: centred(height, size.height), k });
  }

  /** Zooms by `factor` around a point of the viewport (its centre by default). */
  zoomBy(factor: number, clientX?: number, clientY?: number): void {
    const rect = this.viewport.getBoundingClientRect();
    const px = clientX === undefined ? rect.width / 2 : clientX - rect.left;
    const py = clientY === undefined ? rect.height / 2 : clientY - rect.top;
    const k = clamp(this.view.k * factor, MIN_ZOOM, MAX_ZOOM);
    const ratio = k / this.view.k;
    this.set({ x: px - (px - this.view.x) * ratio, y: py - (py - this.view.y) * ratio, k }, true);
  }

  panBy(dx: number, dy: number): void {
    this.set({ ...this.view, x: this.view.x + dx, y: this.view.y + dy }, true);
  }

  private onWheel(event: WheelEvent): void {
    event.preventDefault();
    const pixels = event.deltaMode === WheelEvent.DOM_DELTA_LINE ? event.deltaY * 16 : event.deltaMode === WheelEvent.DOM_DELTA_PAGE ? event.deltaY * 400 : event.deltaY;
    this.zoomBy(Math.exp(-pixels * 0.0015), event.clientX, event.clientY);
  }

  private onPointerDown(event: PointerEvent): void {
    if (event.button !== 0) return;
    this.suppressClick = false;
    this.press = { id: event.pointerId, x: event.clientX, y: event.clientY, view: this.view, dragging: false };
  }

  private onPointerMove(event: PointerEvent): void {
    const press = this.press;
    if (!press || press.id !== event.pointerId) return;
    const dx = event.clientX - press.x;
    const dy = event.clientY - press.y;
    if (!press.dragging) {
      if (Math.hypot(dx, dy) < DRAG_THRESHOLD) return;
      // Capture only once it is a drag: capturing at pointerdown would retarget the click of a
      // plain press from the node to the viewport.
      press.dragging = true;
      this.viewport.setPointerCapture(event.pointerId);
      this.viewport.classList.add('dragging');
    }
    this.set({ ...press.view, x: press.view.x + dx, y: press.view.y + dy }, true);
  }

  private onPointerUp(event: PointerEvent): void {
    const press = this.press;
    if (!press || press.id !== event.pointerId) return;
    this.press = undefined;
    if (!press.dragging) return;
    this.suppressClick = true;
    this.viewport.classList.remove('dragging');
    if (this.viewport.hasPointerCapture(event.pointerId)) this.viewport.releasePointerCapture(event.pointerId);
  }

  private onClickCapture(event: MouseEvent): void {
    if (!this.suppressClick) return;
    this.suppressClick = false;
    event.stopPropagation();
    event.preventDefault();
  }

  private onKey(event: KeyboardEvent): void {
    if (event.target !== this.viewport) return;
    const step = 40;
    const actions = new Map<string, () => void>([
      ['+', () => this.zoomBy(1.25)],
      ['=', () => this.zoomBy(1.25)],
      ['-', () => this.zoomBy(0.8)],
      ['0', () => this.onFitKey()],
      ['f', () => this.onFitKey()],
      ['F', () => this.onFitKey()],
      ['ArrowLeft', () => this.panBy(step, 0)],
      ['ArrowRight', () => this.panBy(-step, 0)],
      ['ArrowUp', () => this.panBy(0, step)],
      ['ArrowDown', () => this.panBy(0, -step)],
    ]);
    const action = actions.get(event.key);
    if (!action || event.ctrlKey || event.metaKey || event.altKey) return;
    event.preventDefault();
    action();
  }
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

function finite(value: number): number {
  return Number.isFinite(value) ? value : 0;
}
