import { describe, expect, it } from 'vitest';
import { pageToStage, replicaToPage } from '../src/index';

describe('replica pointer coordinates', () => {
  it('a client point inside the replica plus its scroll is a point of the customer document', () => {
    // Event coordinates inside the scaled iframe are already the customer's CSS pixels.
    expect(replicaToPage(100, 50, 0, 0)).toEqual({ x: 100, y: 50 });
    expect(replicaToPage(100.6, 50.2, 0, 400)).toEqual({ x: 101, y: 450 });
  });

  it('a customer document point lands on the stage at (point - replica scroll) x scale', () => {
    expect(pageToStage({ x: 200, y: 500 }, 0, 400, 0.5)).toEqual({ x: 100, y: 50 });
    expect(pageToStage({ x: 200, y: 500 }, 0, 0, 1)).toEqual({ x: 200, y: 500 });
  });

  it('round-trips: what the agent points at is where the customer pointer would be drawn', () => {
    const scale = 0.8;
    const p = replicaToPage(300, 120, 0, 250);
    expect(pageToStage(p, 0, 250, scale)).toEqual({ x: 300 * scale, y: 120 * scale });
  });
});
