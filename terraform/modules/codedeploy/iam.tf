data "aws_iam_policy_document" "assume" {
  statement {
    sid     = "CodeDeployAssume"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["codedeploy.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "this" {
  name                 = "${var.name}-codedeploy"
  description          = "CodeDeploy service role of ${var.name}: shifts ECS blue/green traffic"
  assume_role_policy   = data.aws_iam_policy_document.assume.json
  permissions_boundary = var.permissions_boundary_arn

  tags = var.tags
}

# The AWS-managed policy for ECS blue/green: ECS task sets, ELB listener/rule rewrites, alarm reads
# and iam:PassRole to ecs-tasks. AWS keeps it current as CodeDeploy gains features.
resource "aws_iam_role_policy_attachment" "this" {
  role       = aws_iam_role.this.name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/AWSCodeDeployRoleForECS"
}
