import middy from '@middy/core';
test('middy loads', async () => {
  const h = middy(async (e: number) => e + 1);
  expect(await h(1, {} as never)).toBe(2);
});
