/** The demo shop's catalogue. */

export interface Product {
  id: string;
  name: string;
  price: number;
  color: string;
  blurb: string;
}

export const PRODUCTS: Product[] = [
  { id: 'kettle', name: 'Copper Kettle', price: 49, color: '#c2703d', blurb: 'A 1.2-litre stovetop kettle with a whistle that sings, not shrieks.' },
  { id: 'mug', name: 'Stoneware Mug', price: 14, color: '#5b7c99', blurb: 'Hand-glazed, dishwasher safe, holds a generous 350 ml.' },
  { id: 'grinder', name: 'Burr Grinder', price: 89, color: '#3d3d3d', blurb: 'Forty grind settings from espresso fine to cold-brew coarse.' },
  { id: 'scale', name: 'Pour-over Scale', price: 35, color: '#7a9e7e', blurb: 'Weighs to 0.1 g with a built-in timer for the perfect bloom.' },
  { id: 'beans', name: 'House Blend, 1 kg', price: 24, color: '#6f4e37', blurb: 'Chocolate, hazelnut and a little citrus. Roasted weekly.' },
  { id: 'dripper', name: 'Ceramic Dripper', price: 22, color: '#d9a441', blurb: 'Spiral ribs for an even extraction; fits any mug.' },
];

export function findProduct(id: string | null): Product | undefined {
  return PRODUCTS.find((p) => p.id === id);
}

export function price(n: number): string {
  return `€${n.toFixed(2)}`;
}
