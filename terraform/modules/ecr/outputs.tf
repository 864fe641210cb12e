output "repository_urls" {
  description = "Repository URLs by repository name (<account>.dkr.ecr.<region>.amazonaws.com/<name>)."
  value       = { for name, repo in aws_ecr_repository.this : name => repo.repository_url }
}

output "repository_arns" {
  description = "Repository ARNs by repository name (for pull and push policies)."
  value       = { for name, repo in aws_ecr_repository.this : name => repo.arn }
}

output "repository_names" {
  description = "Names of the repositories created."
  value       = [for repo in aws_ecr_repository.this : repo.name]
}

output "registry_id" {
  description = "Registry (account) ID the repositories belong to."
  value       = one(distinct([for repo in aws_ecr_repository.this : repo.registry_id]))
}
