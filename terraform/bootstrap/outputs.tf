output "state_bucket_name" {
  description = "Name of the Terraform state bucket (the `bucket` of every root's backend config)."
  value       = aws_s3_bucket.state.bucket
}

output "state_bucket_arn" {
  description = "ARN of the state bucket (for the CI roles' state access)."
  value       = aws_s3_bucket.state.arn
}

output "region" {
  description = "Region of the state bucket (the `region` of every root's backend config)."
  value       = var.region
}

output "backend_config" {
  description = "Backend settings to put in each root's backend file; add a distinct `key` per environment and region."
  value = {
    bucket       = aws_s3_bucket.state.bucket
    region       = var.region
    encrypt      = true
    use_lockfile = true
  }
}
