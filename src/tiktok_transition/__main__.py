from tiktok_transition.cli import main

main()
