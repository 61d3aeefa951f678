NC.data("search/terms/68-75",{"hundreds":[105,223,252,272],"hussein":[9,15,37,156,185,209,272,273,274]});
