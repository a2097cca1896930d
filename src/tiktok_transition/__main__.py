from tiktok_transition.cli.main import main

main()
