# Mortar's awsglue package for Python shell jobs: the parts of the managed service's library that a script run by
# Mortar can use. Written for Mortar from the documented behaviour; see docs/JOBS.md, "Python shell jobs".
