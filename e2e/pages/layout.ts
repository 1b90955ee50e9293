// Helpers for the layout checks: where the document and the lists are scrolled, and rows on screen.
import { expect, type Locator, type Page } from "@playwright/test";

/** How far the document is scrolled, both ways of asking; and whether it could scroll at all. */
export function documentScroll(page: Page): Promise<{ scrollY: number; scrollTop: number; overflow: number }> {
  return page.evaluate(() => {
    const root = document.scrollingElement ?? document.documentElement;
    return { scrollY: window.scrollY, scrollTop: root.scrollTop, overflow: root.scrollHeight - root.clientHeight };
  });
}

export const scrollTopOf = (el: Locator): Promise<number> => el.evaluate((node) => node.scrollTop);

/** Turns the wheel over the middle of `region`. */
export async function wheelOver(page: Page, region: Locator, deltaY: number): Promise<void> {
  const box = await region.boundingBox();
  if (!box) throw new Error("the region is not on screen");
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.wheel(0, deltaY);
}

/**
 * Wheels over the message list and waits until it has moved: wheel events are handled in order, so once the list has
 * scrolled, every wheel event sent before it has been handled too.
 */
export async function wheelListAndSettle(page: Page, list: Locator, distance = 300): Promise<void> {
  const [before, room] = await list.evaluate((el) => [el.scrollTop, el.scrollHeight - el.clientHeight]);
  // towards the farther end, so that it can move
  await wheelOver(page, list, before < room / 2 ? distance : -distance);
  await expect.poll(() => scrollTopOf(list)).not.toBe(before);
}

/** Message rows entirely inside the list's visible box. */
export function fullyVisibleRows(list: Locator): Promise<number> {
  return list.evaluate((ol) => {
    const view = ol.getBoundingClientRect();
    return [...ol.querySelectorAll('[data-testid="message"]')].filter((row) => {
      const r = row.getBoundingClientRect();
      return r.top >= view.top && r.bottom <= view.bottom;
    }).length;
  });
}

/** "rgb(1, 2, 3)" / "rgba(1, 2, 3, 0.5)" / "color(srgb …)" → [r, g, b, a] with channels in 0–255 */
export function parseColour(css: string): [number, number, number, number] {
  const srgb = /color\(srgb ([\d.]+) ([\d.]+) ([\d.]+)(?: \/ ([\d.]+))?\)/.exec(css);
  if (srgb) return [+srgb[1]! * 255, +srgb[2]! * 255, +srgb[3]! * 255, srgb[4] === undefined ? 1 : +srgb[4]];
  const rgb = /rgba?\(([\d.]+),? ([\d.]+),? ([\d.]+)(?:,? \/? ?([\d.]+))?\)/.exec(css);
  if (!rgb) throw new Error(`cannot read colour ${css}`);
  return [+rgb[1]!, +rgb[2]!, +rgb[3]!, rgb[4] === undefined ? 1 : +rgb[4]];
}

export const toHex = ([r, g, b]: readonly number[]): string =>
  "#" +
  [r, g, b]
    .map((c) =>
      Math.round(c ?? 0)
        .toString(16)
        .padStart(2, "0"),
    )
    .join("");

/** An element's text colour and the opaque background behind it (the first ancestor that has one). */
export function colours(el: Locator): Promise<{ color: string; background: string }> {
  return el.evaluate((node) => {
    const color = getComputedStyle(node).color;
    for (let at: Element | null = node; at; at = at.parentElement) {
      const bg = getComputedStyle(at).backgroundColor;
      if (bg !== "transparent" && !/, 0\)$|\/ 0\)$/.test(bg)) return { color, background: bg };
    }
    return { color, background: "rgb(255, 255, 255)" };
  });
}
