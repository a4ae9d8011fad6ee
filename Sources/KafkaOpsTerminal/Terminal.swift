import KafkaOpsTUI
import CNCurses
