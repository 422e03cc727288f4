/**
 * The view a graph opens with, shared by the VS Code panel and the standalone page: the whole
 * graph fitted to the viewport, unless that would shrink its labels below READABLE_FONT_PX. Then
 * the part around the nodes of interest (the active file's) is shown at the smallest readable
 * scale or larger, and the caller says how to see the rest.
 *
 * 7 px is a judgement, not a standard: the panel draws labels at 14 px, so this is the scale of
 * 0.5 the panel already opened large graphs at before (its "readable" floor). 9 px (0.64) was
 * tried first: in real VS Code (a 987 × 719 px graph area beside the trace box) it cut even the
 * seed example's traced route, the most common view, so the floor is the lower one.
 */
import type { PanZoom } from './panZoom';

export const READABLE_FONT_PX = 7;

export interface OpenedView {
  /** The whole graph is in sight (false: only the part around the nodes of interest). */
  readonly whole: boolean;
  /** Whether that part is around the nodes of interest (false: the start of the graph, its top-left). */
  readonly aroundFocus: boolean;
}

/**
 * Fits the graph, or shows the region around `focus` (elements inside `canvas`) at a readable
 * scale. `fontPx` is the label font size of the drawing at 100 %.
 */
export function openView(panZoom: PanZoom, canvas: HTMLElement, focus: readonly Element[], fontPx: number): OpenedView {
  const readable = READABLE_FONT_PX / fontPx;
  const fitted = panZoom.fitScale();
  if (fitted === undefined || fitted >= readable) {
    panZoom.fit();
    return { whole: true, aroundFocus: false };
  }
  const region = regionOf(canvas, focus, panZoom.current.k);
  // Without nodes of interest: the start of the routes (hosts and ways in are on the left), from
  // the drawing's top-left corner.
  if (region) panZoom.focus(region, readable);
  else panZoom.fit(readable);
  return { whole: false, aroundFocus: region !== undefined };
}

/** The box (unscaled drawing px) around these elements, or undefined for none. */
function regionOf(canvas: HTMLElement, elements: readonly Element[], k: number): { x: number; y: number; width: number; height: number } | undefined {
  if (elements.length === 0 || k <= 0) return undefined;
  const origin = canvas.getBoundingClientRect();
  let left = Infinity;
  let top = Infinity;
  let right = -Infinity;
  let bottom = -Infinity;
  for (const element of elements) {
    const box = element.getBoundingClientRect();
    left = Math.min(left, box.left);
    top = Math.min(top, box.top);
    right = Math.max(right, box.right);
    bottom = Math.max(bottom, box.bottom);
  }
  return { x: (left - origin.left) / k, y: (top - origin.top) / k, width: (right - left) / k, height: (bottom - top) / k };
}
