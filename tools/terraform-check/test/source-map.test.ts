import { SourceMap } from '../src/source-map.ts';

const text = `# comment with { brace
resource "aws_sqs_queue" "this" {
  name = "a { not a brace"
  tags = { Name = "\${join("}", [var.a, "{"])}" }
  policy = <<-EOT
    { "also": "not counted" 
  EOT
  redrive {
    x = 1
  }
  redrive {
    x = 2
  }
}

locals {
  a = 1 /* } */
}
`;

describe('SourceMap', () => {
  const map = new SourceMap(text);

  test('finds top-level blocks and their line ranges, ignoring braces in strings, comments, heredocs', () => {
    expect(map.blocks.map((b) => [b.keyword, b.labels, b.start, b.end])).toEqual([
      ['resource', ['aws_sqs_queue', 'this'], 2, 14],
      ['locals', [], 16, 18],
    ]);
  });

  test('locates nested arguments and the n-th repeated block', () => {
    const resource = map.findBlock('resource', ['aws_sqs_queue', 'this'])!;
    expect(map.locate(resource, [{ name: 'policy' }])?.start).toBe(5);
    expect(map.locate(resource, [{ name: 'redrive', occurrence: 1 }, { name: 'x' }])?.start).toBe(
      12,
    );
    expect(map.locate(resource, [{ name: 'missing' }])).toBeUndefined();
  });
});
