from newstrace.serve.cli import main

main()
