package summary

import "testing"

func TestStripLeadTag(t *testing.T) {
	tests := []struct{ in, want string }{
		{"(CNN)They may be close to finding life, a NASA scientist says.", "They may be close to finding life, a NASA scientist says."},
		{"(CNN) -- The talks ended late on Tuesday night.", "The talks ended late on Tuesday night."},
		{"RIYADH (Reuters) - US and Russian officials held talks on Tuesday.", "US and Russian officials held talks on Tuesday."},
		{"LONDON, Feb 19 (Reuters) - British inflation rose to 3% in January.", "British inflation rose to 3% in January."},
		{"NEW YORK — Stocks fell sharply on Monday after the report.", "Stocks fell sharply on Monday after the report."},
		{"New York, NY – With content moving to phones, ad platforms change.", "With content moving to phones, ad platforms change."},
		{"US-Russia talks ended late on Tuesday night.", "US-Russia talks ended late on Tuesday night."},
		{"NATO - the alliance - met on Tuesday in Brussels.", "NATO - the alliance - met on Tuesday in Brussels."},
		{"The talks ended late on Tuesday night.", "The talks ended late on Tuesday night."},
		{"Hong Kong (CNN Business)A muddled view of US-China trade talks once again weighs on investors.", "A muddled view of US-China trade talks once again weighs on investors."},
		{"Washington, DC, United States: Getting to the Moon, while not easy, has been done.", "Getting to the Moon, while not easy, has been done."},
		{"Paris (AFP) - French unions called a strike for Thursday.", "French unions called a strike for Thursday."},
		{"Her answer, Mr Smith said: no deal at all this year.", "Her answer, Mr Smith said: no deal at all this year."},
		{"Officials said: The ministry will publish the figures on Friday.", "Officials said: The ministry will publish the figures on Friday."},
		{"The Pentagon (Defense Department) said on Monday it would review the plan.", "The Pentagon (Defense Department) said on Monday it would review the plan."},
	}
	for _, tt := range tests {
		if got := stripLeadTag(tt.in); got != tt.want {
			t.Errorf("stripLeadTag(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
