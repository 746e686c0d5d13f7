export * from './dom';
export * from './frame';
export type * from './generated/index';
