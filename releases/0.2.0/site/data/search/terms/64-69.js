NC.data("search/terms/64-69",{"dialogue":[183,274],"did":[98,127,275,276],"difference":[144],"difficult":[176,272],"discuss":[47,172,273],"displaced":[206,276]});
