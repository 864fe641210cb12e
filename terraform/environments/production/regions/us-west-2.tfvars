# Production, second region: the same module code with its own state, network and services.
# Account-global names get a region suffix (usw2); the OIDC provider is looked up, not created.
region   = "us-west-2"
vpc_cidr = "10.20.0.0/16"
